import io.questlog.loadgen.send.EventSender;
import io.questlog.loadgen.simulate.MarketingSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A landing-zone file of the marketing generator's events, as POST /events bodies carry them: USERS OUT SEED. */
public class LandingFile {
    public static void main(String[] a) throws Exception {
        var events = MarketingSimulator.simulate(new MarketingSimulator.Spec(Integer.parseInt(a[0]), Duration.ofDays(42), Long.parseLong(a[2])),
                Instant.now().toEpochMilli());
        Files.createDirectories(Path.of(a[1]).getParent());
        Files.writeString(Path.of(a[1]), EventSender.ndjson(events) + "\n");
        System.out.println(events.size() + " events in " + a[1]);
    }
}
