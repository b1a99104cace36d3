package io.questlog.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/** Writes the configuration files the parts read (Hadoop XML, Java properties). */
final class ConfigFiles {
    private ConfigFiles() {}

    static void hadoopXml(StackConfig c, Path file, Map<String, String> props) throws IOException {
        String body = props.entrySet().stream()
                .map(e -> "  <property><name>" + e.getKey() + "</name><value>" + e.getValue() + "</value></property>")
                .collect(Collectors.joining("\n"));
        write(c, file, "<?xml version=\"1.0\"?>\n<configuration>\n" + body + "\n</configuration>\n");
    }

    static void properties(StackConfig c, Path file, Map<String, String> props) throws IOException {
        write(c, file, props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
    }

    static void write(StackConfig c, Path file, String text) throws IOException {
        StateDirs.create(c, file.getParent());
        Files.writeString(file, text);
    }

    static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }
}
