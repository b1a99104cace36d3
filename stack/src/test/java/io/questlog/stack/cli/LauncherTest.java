package io.questlog.stack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stack.analysts.ResultFormat;
import io.questlog.stack.local.parts.Parts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as users type it: parsing, help texts and exit codes, without running anything. */
class LauncherTest {
    record Run(int rc, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Launcher.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    /** The command object picocli filled in for {@code args}. */
    static <T> T parsed(Class<T> type, String... args) {
        CommandLine.ParseResult r = Launcher.commandLine().parseArgs(args);
        return type.cast(r.subcommand().commandSpec().userObject());
    }

    static final List<String> COMMANDS = List.of("demo", "up", "down", "status", "logs", "run", "health", "tables", "sql",
            "query", "sessions", "check", "report", "presto", "load", "spark-submit", "compact", "completion", "help");

    @Test
    void helpListsEveryCommand() {
        for (String[] args : new String[][] {{"help"}, {"--help"}, {}}) {
            Run r = run(args);
            assertThat(r.rc()).as(String.join(" ", args)).isZero();
            for (String c : COMMANDS) assertThat(r.out()).as(c).containsPattern("(?m)^  " + c + " ");
        }
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithASuggestion() {
        Run r = run("stauts");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument at index 0: 'stauts'").contains("Did you mean").contains("status");
    }

    @Test
    void anUnknownOptionIsAUsageErrorNamingTheKnownOnes() {
        Run r = run("sql", "--xml", "SELECT 1");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--xml'").contains("--csv");
    }

    @Test
    void upHelpListsThePartsAndItsDefault() {
        Run r = run("up", "--help");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("Usage: questlog up").contains("default: every part");
        for (String part : Parts.names()) assertThat(r.out()).contains(part);
        assertThat(run("logs", "--help").out()).contains("Default: 100");
    }

    @Test
    void theFormatFlagGoesBeforeOrAfterTheName() {
        for (String[] args : new String[][] {{"query", "host_sword_purchases", "--csv"}, {"query", "--csv", "host_sword_purchases"}}) {
            AnalystCommands.Query q = parsed(AnalystCommands.Query.class, args);
            assertThat(q.name).isEqualTo("host_sword_purchases");
            assertThat(q.format.get()).isEqualTo(ResultFormat.CSV);
        }
        assertThat(parsed(AnalystCommands.Query.class, "query").name).isNull();
    }

    @Test
    void sqlTakesTheFormatFlagOffTheStatement() {
        AnalystCommands.Sql csv = parsed(AnalystCommands.Sql.class, "sql", "--csv", "SELECT 1");
        assertThat(csv.format.get()).isEqualTo(ResultFormat.CSV);
        assertThat(csv.sql).containsExactly("SELECT 1");
        assertThat(parsed(AnalystCommands.Sql.class, "sql", "SELECT 1").format.get()).isEqualTo(ResultFormat.ALIGNED);
        assertThat(parsed(AnalystCommands.Sql.class, "sql", "--json", "SELECT", "1").format.get()).isEqualTo(ResultFormat.JSON);
    }

    @Test
    void passThroughCommandsKeepTheirArgumentsAsTheyAre() {
        List<String> args = List.of("--master", "local[1]", "--conf", "a=b", "--help", "-h", "--", "@file", "x");
        assertThat(parsed(StackCommands.SparkSubmit.class, concat("spark-submit", args)).args).containsExactlyElementsOf(args);
        assertThat(parsed(StackCommands.Presto.class, concat("presto", args)).args).containsExactlyElementsOf(args);
        Load load = parsed(Load.class, concat("load", List.of("ab", "-n", "100", "-c", "4", "--help")));
        assertThat(load.tool).isEqualTo(Load.Tool.ab);
        assertThat(load.args).containsExactly("-n", "100", "-c", "4", "--help");
        assertThat(parsed(Load.class, "load", "users", "--users", "50", "--hours", "2").args).containsExactly("--users", "50", "--hours", "2");
    }

    @Test
    void sessionsNeedsOneOfItsModes() {
        assertThat(parsed(AnalystCommands.Sessions.class, "sessions", "--group-key", "device_family").groupKey).isEqualTo("device_family");
        assertThat(parsed(AnalystCommands.Sessions.class, "sessions", "--batch").batch).isTrue();
        AnalystCommands.Sessions dataset = parsed(AnalystCommands.Sessions.class, "sessions", "--input", "data/*.ndjson.gz",
                "--group-key", "os_family", "--max-session-seconds", "600");
        assertThat(List.of(dataset.input, dataset.groupKey, dataset.maxSessionSeconds)).containsExactly("data/*.ndjson.gz", "os_family", "600");
        assertThat(run("sessions").rc()).isEqualTo(2);
        assertThat(run("sessions", "--batch", "--group-key", "os_family").rc()).isEqualTo(2);
    }

    @Test
    void aLandingZoneWithoutSchemeIsALocalFolderNotHdfs() {
        assertThat(ImportCommand.location("/data/landing")).isEqualTo("file:///data/landing");
        assertThat(ImportCommand.location("rel")).startsWith("file:///").endsWith("/rel");
        assertThat(ImportCommand.location("/data/my landing")).isEqualTo("file:///data/my landing"); // Hadoop's Path does not decode %20
        assertThat(ImportCommand.location("hdfs://nn:8020/landing")).isEqualTo("hdfs://nn:8020/landing");
    }

    @Test
    void partsAndLogsParseAsDocumented() {
        assertThat(parsed(StackCommands.Up.class, "up").parts).isNullOrEmpty();
        assertThat(parsed(StackCommands.Down.class, "down", "trino").parts).containsExactly("trino");
        StackCommands.Logs logs = parsed(StackCommands.Logs.class, "logs", "stream-writer", "20");
        assertThat(logs.name).isEqualTo("stream-writer");
        assertThat(logs.lines).isEqualTo(20);
        assertThat(parsed(StackCommands.Logs.class, "logs", "kafka").lines).isEqualTo(100);
        CompactCommand compact = parsed(CompactCommand.class, "compact", "events", "2026-11-23");
        assertThat(compact.table).isEqualTo("events");
        assertThat(compact.dt).isEqualTo("2026-11-23");
    }

    @Test
    void completionPrintsABashScript() {
        Run r = run("completion");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("complete -F _complete_questlog").contains("spark-submit");
    }

    private static String[] concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toArray(String[]::new);
    }
}
