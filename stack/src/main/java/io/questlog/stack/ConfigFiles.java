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

    static void hadoopXml(Path file, Map<String, String> props) throws IOException {
        String body = props.entrySet().stream()
                .map(e -> "  <property><name>" + e.getKey() + "</name><value>" + e.getValue() + "</value></property>")
                .collect(Collectors.joining("\n"));
        write(file, "<?xml version=\"1.0\"?>\n<configuration>\n" + body + "\n</configuration>\n");
    }

    static void properties(Path file, Map<String, String> props) throws IOException {
        write(file, props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
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
