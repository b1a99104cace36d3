package io.questlog.stack.cli;

import io.questlog.stack.analysts.Checks;
import io.questlog.stack.analysts.NamedQueries;
import io.questlog.stack.analysts.ResultFormat;
import io.questlog.stack.analysts.SessionCounts;
import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The analysts' commands: sql, query, sessions, check, report. */
final class AnalystCommands {
    private AnalystCommands() {}

    /** --csv, --json or --aligned, at most one, anywhere among the arguments. */
    static final class Format {
        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Choice choice;

        static final class Choice {
            @Option(names = "--csv", description = "CSV with a header row.") boolean csv;
            @Option(names = "--json", description = "JSON lines: one object per row.") boolean json;
            @Option(names = "--aligned", description = "An aligned table (the default).") boolean aligned;
        }

        ResultFormat get() {
            if (choice == null) return ResultFormat.ALIGNED;
            return choice.csv ? ResultFormat.CSV : choice.json ? ResultFormat.JSON : ResultFormat.ALIGNED;
        }
    }

    @Command(name = "sql", description = "One Presto SQL statement against the local Trino, printed as a table.")
    static final class Sql implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;
        @Mixin Format format;
        @Parameters(arity = "1..*", paramLabel = "SQL", description = "The statement (its words are joined with spaces).")
        List<String> sql;

        @Override
        public Integer call() {
            System.out.print(format.get().format(new Trino(top.config()).query(String.join(" ", sql))));
            return 0;
        }
    }

    @Command(name = "query", description = "A named analysts' question, run through Trino (no NAME: the names and titles).")
    static final class Query implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;
        @Mixin Format format;
        @Parameters(arity = "0..1", paramLabel = "NAME", completionCandidates = QueryNames.class,
                description = "The query to run (none: the list of names and titles).")
        String name;

        @Override
        public Integer call() throws Exception {
            NamedQueries q = new NamedQueries();
            if (name == null) {
                q.titles().forEach((n, t) -> System.out.printf("%-28s %s%n", n, t));
            } else {
                System.out.print(format.get().format(new Trino(top.config()).query(q.sql(name))));
            }
            return 0;
        }
    }

    static final class QueryNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            try {
                return new NamedQueries().titles().keySet().iterator();
            } catch (java.io.IOException e) {
                return java.util.Collections.emptyIterator();
            }
        }
    }

    @Command(name = "sessions", description = {
            "Sessions per family: of the stream's sessions table (--group-key), of a dataset of NDJSON events (--input, the",
            "session-counting challenge, through spark-submit stream-writer.jar sessions), or the stream's sessions checked",
            "by Spark (--batch). Writes OUTPUT/sessions_by_KEY.json."})
    static final class Sessions implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;
        @Spec CommandSpec spec;
        @Option(names = "--group-key", paramLabel = "KEY", completionCandidates = GroupKeys.class,
                description = "Count sessions per KEY: ${COMPLETION-CANDIDATES} (with --input, any field; default GROUP_KEY).") String groupKey;
        @Option(names = "--batch", description = "Recompute sessions from `events` with Spark and compare with the stream's; exit 1 on a difference.") boolean batch;
        @Option(names = "--input", paramLabel = "PATH", description = "A folder, file or glob of NDJSON (plain or .gz): file paths, hdfs:// or s3a:// (default READ_PATH).") String input;
        @Option(names = "--user-key", paramLabel = "FIELD", description = "With --input: the user's field (default USER_KEY, else anonymous_id).") String userKey;
        @Option(names = "--timestamp-key", paramLabel = "FIELD", description = "With --input: the epoch-ms time field (default TIMESTAMP_KEY, else device_sent_timestamp).") String timestampKey;
        @Option(names = "--max-session-seconds", paramLabel = "N", description = "With --input: a gap longer than this starts a session (default MAX_SESSION_SECONDS, else 1800).") String maxSessionSeconds;
        @Option(names = "--output", paramLabel = "DIR", description = "With --input: where sessions_by_KEY.json goes (default WRITE_PATH, else QUESTLOG_OUTPUT).") String output;

        @Override
        public Integer call() throws Exception {
            StackConfig c = top.config();
            if (batch) {
                if (groupKey != null || input != null) throw new ParameterException(spec.commandLine(), "--batch takes no other option");
                return BatchSessions.run(c);
            }
            if (input != null || System.getenv("READ_PATH") != null) {
                return DatasetSessions.run(c, input, groupKey, userKey, timestampKey, maxSessionSeconds, output);
            }
            if (groupKey == null) throw new ParameterException(spec.commandLine(), "give --group-key KEY, --input PATH, or --batch");
            var counts = SessionCounts.count(new Trino(c), groupKey);
            System.out.println(SessionCounts.write(c.outputDir(), groupKey, counts) + ": " + counts);
            return 0;
        }
    }

    static final class GroupKeys implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return SessionCounts.KEYS.iterator();
        }
    }

    @Command(name = "check", description = "Data-quality checks through Trino; exit 1 on a failure.")
    static final class Check implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;

        @Override
        public Integer call() {
            StackConfig c = top.config();
            Trino trino = new Trino(c);
            var results = Checks.run(trino, Checks.all(trino, c.maxBadRate()));
            System.out.print(Checks.print(results));
            return results.stream().allMatch(Checks.Result::passed) ? 0 : 1;
        }
    }

    @Command(name = "report", description = "output/report.html: the analysts' charts in one self-contained page.")
    static final class Report implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;

        @Override
        public Integer call() throws Exception {
            StackConfig c = top.config();
            var charts = io.questlog.stack.analysts.Report.build(new Trino(c), new NamedQueries());
            String subtitle = "Made " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " from Trino at " + c.trinoUrl();
            System.out.println("report: " + io.questlog.stack.analysts.Report.write(c.outputDir(),
                    io.questlog.stack.analysts.Report.render(charts, subtitle)));
            return 0;
        }
    }
}
