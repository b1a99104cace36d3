package io.questlog.stack.analysts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFormatTest {
    static final List<List<String>> ROWS = List.of(List.of("host", "n"), List.of("user1.comcast.com", "42"),
            Arrays.asList("a,\"b\"", null));

    @Test
    void alignedRightAlignsNumbersAndCountsRows() {
        assertThat(ResultFormat.ALIGNED.format(ROWS)).isEqualTo("""
                 host              | n   \n\
                -------------------+-----
                 user1.comcast.com |   42
                 a,"b"             | NULL
                (2 rows)
                """);
    }

    @Test
    void csvQuotesWhatNeedsIt() {
        assertThat(ResultFormat.CSV.format(ROWS)).isEqualTo("host,n\nuser1.comcast.com,42\n\"a,\"\"b\"\"\",\n");
    }

    @Test
    void jsonIsOneObjectPerRow() {
        assertThat(ResultFormat.JSON.format(ROWS))
                .isEqualTo("{\"host\":\"user1.comcast.com\",\"n\":\"42\"}\n{\"host\":\"a,\\\"b\\\"\",\"n\":null}\n");
    }
}
