package io.questlog.stack.cli;

import io.questlog.contract.Env;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import io.questlog.stack.local.parts.Parts;
import java.util.Iterator;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `./questlog COMMAND`: the local stack and what users do with it. */
@Command(name = "questlog", synopsisSubcommandLabel = "COMMAND",
        description = "The local Questlog stack and the analysts' commands.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "./questlog COMMAND --help shows a command's options; ./questlog help COMMAND does too.",
                "Settings: QUESTLOG_* environment variables (see README.md).",
                "Shell completion: source <(./questlog completion)"},
        subcommands = {
                CommandLine.HelpCommand.class,
                Demo.class,
                StackCommands.Up.class, StackCommands.Down.class, StackCommands.Status.class, StackCommands.Logs.class,
                StackCommands.Run.class, StackCommands.Health.class, StackCommands.Tables.class,
                AnalystCommands.Sql.class, AnalystCommands.Query.class, AnalystCommands.Sessions.class,
                AnalystCommands.Check.class, AnalystCommands.Report.class,
                StackCommands.Presto.class, Load.class, ImportCommand.class, StackCommands.SparkSubmit.class, CompactCommand.class})
public final class Launcher implements Runnable {
    @Spec CommandSpec spec;
    @Mixin Help help;

    private StackConfig config;

    /** The settings, read on first use: `help` and usage errors need none. */
    StackConfig config() {
        if (config == null) config = StackConfig.from(Env.system());
        return config;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut()); // no command: the list, as `help` prints it
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand: usage errors exit 2 with picocli's suggestions, a StackException 1. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Launcher());
        cl.setUsageHelpWidth(100);
        cl.setExpandAtFiles(false); // `@x` is an argument like any other (SQL, spark-submit)
        AutoComplete.GenerateCompletion completion = new AutoComplete.GenerateCompletion();
        cl.addSubcommand("completion", completion);
        cl.getSubcommands().get("completion").getCommandSpec().usageMessage().hidden(false)
                .description("Print a bash completion script for ./questlog: source <(./questlog completion)");
        // commands that hand their arguments to another program take them as they are, options included
        for (String passThrough : new String[] {"presto", "load", "spark-submit"}) {
            cl.getSubcommands().get(passThrough).setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        }
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage().showDefaultValues(true));
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (!(e instanceof StackException) && !(e instanceof IllegalArgumentException)) throw e;
            c.getErr().println("questlog: " + e.getMessage());
            c.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** -h / --help on every command but the pass-through ones (whose --help is their program's). */
    static final class Help {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
    }

    /** The parts' names, for completion and the help texts (${COMPLETION-CANDIDATES}). */
    static final class PartNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Parts.allNames().iterator();
        }
    }
}
