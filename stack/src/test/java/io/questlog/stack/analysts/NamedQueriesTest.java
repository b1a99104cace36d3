package io.questlog.stack.analysts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamedQueriesTest {
    final NamedQueries queries = new NamedQueries();

    @Test
    void everyQuestionTheAnalystsAskHasAFileWithATitle() throws Exception {
        assertThat(queries.titles()).containsKeys("total_events", "events_per_type", "host_sword_purchases",
                "host_guild_joins", "top_sword_type", "top_spenders", "events_per_minute", "sessions_by_browser_family",
                "sessions_by_os_family", "sessions_by_device_family", "session_length", "sessions_with_purchase",
                "session_length_distribution", "purchase_attribution", "top_campaigns", "popular_channel", "organic_share");
        assertThat(queries.titles().values()).allSatisfy(t -> assertThat(t).isNotBlank().doesNotStartWith("SELECT"));
        assertThat(queries.title("host_sword_purchases")).isEqualTo("Sword purchases per host");
    }

    @Test
    void sqlComesWithoutCommentsOrSemicolon() throws Exception {
        assertThat(queries.sql("total_events")).isEqualTo("SELECT count(*) AS events FROM events");
    }

    @Test
    void aQueryBuiltOnAnotherGetsItAsASubquery() throws Exception {
        String top = queries.sql("top_campaigns");
        assertThat(top).doesNotContain("{{").contains("FROM (" + queries.sql("purchase_attribution") + ")");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> queries.sql("nope")).hasMessageContaining("no query named 'nope'")
                .hasMessageContaining("total_events");
        assertThatThrownBy(() -> queries.sql("../../etc/passwd")).hasMessageContaining("no query named");
    }
}
