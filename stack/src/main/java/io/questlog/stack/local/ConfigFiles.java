package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes the configuration files the parts read (Hadoop XML, Java properties). */
public final class ConfigFiles {
    private ConfigFiles() {}

    public static void hadoopXml(StackConfig c, Path file, Map<String, String> props) throws IOException {
        String body = props.entrySet().stream()
                .map(e -> "  <property><name>" + e.getKey() + "</name><value>" + e.getValue() + "</value></property>")
                .collect(Collectors.joining("\n"));
        write(c, file, "<?xml version=\"1.0\"?>\n<configuration>\n" + body + "\n</configuration>\n");
    }

    public static void properties(StackConfig c, Path file, Map<String, String> props) throws IOException {
        write(c, file, props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
    }

    public static void write(StackConfig c, Path file, String text) throws IOException {
        StateDirs.create(c, file.getParent());
        Files.writeString(file, text);
    }

    /** Kafka's and Hive's logging: to the console, which the supervisor sends to the part's log. */
    public static final String LOG4J2 = """
            status = warn
            appender.console.type = Console
            appender.console.name = console
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = %d{ISO8601} %-5p %c{1} - %m%n
            rootLogger.level = info
            rootLogger.appenderRef.console.ref = console
            """;

    /** HDFS's (log4j 1). */
    public static final String LOG4J1 = """
            log4j.rootLogger=INFO, console
            log4j.appender.console=org.apache.log4j.ConsoleAppender
            log4j.appender.console.layout=org.apache.log4j.PatternLayout
            log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %-5p %c{1} - %m%n
            """;
}
