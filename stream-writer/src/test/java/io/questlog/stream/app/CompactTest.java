package io.questlog.stream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `./questlog compact`'s command line: help, and exit 2 with a hint for what it cannot take. */
class CompactTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Compact.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void helpNamesTheArgumentsAndEverySettingWithItsDefault() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("[TABLE] [DT]", "QUESTLOG_HIVE_JDBC ", "jdbc:hive2://127.0.0.1:10000/default",
                "QUESTLOG_COMPACT_READ_GRACE    60 seconds", "QUESTLOG_COMPACT_TARGET_SIZE   256MiB");
    }

    @Test
    void unknownOptionIsRefusedWithASuggestion() {
        assertThat(run("--hepl")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--hepl'", "--help");
    }

    @Test
    void unknownTableOrBadDateIsRefusedNamingTheTables() {
        assertThat(run("nope")).isEqualTo(2);
        assertThat(err.toString()).contains("TABLE one of [events, sword_purchases, guild_joins, bad_events, sessions]");
        assertThat(run("events", "June 1st")).isEqualTo(2);
        assertThat(run("events", "2024-06-01", "more")).isEqualTo(2);
    }
}
