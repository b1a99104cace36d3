import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** The events topic (4 partitions), which the launcher otherwise creates when it starts the stream-writer: BOOTSTRAP. */
public class CreateTopic {
    public static void main(String[] a) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", a[0]))) {
            admin.createTopics(List.of(new NewTopic("events", 4, (short) 1))).all().get();
        }
    }
}
