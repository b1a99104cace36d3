package io.questlog.stream.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrinoPartitionRegistrarTest {
    @Test
    void schemaComesFromTheUrlPath() {
        assertThat(TrinoPartitionRegistrar.schemaOf("jdbc:trino://127.0.0.1:8080/hive/default?user=questlog"))
                .isEqualTo("default");
        assertThat(TrinoPartitionRegistrar.schemaOf("jdbc:trino://h:1/hive/games?user=x")).isEqualTo("games");
        assertThat(TrinoPartitionRegistrar.schemaOf("jdbc:trino://h:1/hive")).isEqualTo("default");
        assertThat(TrinoPartitionRegistrar.schemaOf("jdbc:trino://h:1")).isEqualTo("default");
    }

    @Test
    void anUnreachableTrinoFailsAfterTheRetriesNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String url = "jdbc:trino://127.0.0.1:" + port + "/hive/default?user=questlog";
        TrinoPartitionRegistrar registrar = new TrinoPartitionRegistrar(url, 2, Duration.ofMillis(10));
        assertThatThrownBy(() -> registrar.register("events", java.util.List.of("2024-06-01")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("events/dt=2024-06-01")
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("after 2 attempts");
    }
}
