package io.questlog.stack.analysts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.questlog.contract.Env;
import io.questlog.stack.config.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrinoTest {
    @Test
    void aTrinoThatIsNotThereIsNamedWithWhatToDo() {
        StackConfig c = StackConfig.from(new Env(Map.of("QUESTLOG_TRINO_PORT", "1"))); // nothing listens on port 1
        assertThatThrownBy(() -> new Trino(c).query("SELECT 1"))
                .hasMessage("Trino not reachable at http://127.0.0.1:1: run `./questlog up`");
    }

    @Test
    void causesAreFoundAnywhereInTheChain() {
        Throwable wrapped = new SQLException("Error executing query", new UncheckedIOException(new ConnectException("refused")));
        assertThat(Trino.causedBy(wrapped, IOException.class)).isTrue();
        assertThat(Trino.causedBy(new SQLException("line 1:8: Column 'x' cannot be resolved"), IOException.class)).isFalse();
    }
}
