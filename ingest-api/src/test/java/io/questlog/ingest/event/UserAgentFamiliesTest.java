package io.questlog.ingest.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserAgentFamiliesTest {
    final UserAgentFamilies uas = new UserAgentFamilies(2);

    @Test
    void iphoneSafari() {
        var f = uas.parse(EnvelopeFactoryTest.IPHONE);
        assertThat(f.browser()).isEqualTo("Mobile Safari");
        assertThat(f.os()).isEqualTo("iOS");
        assertThat(f.device()).isEqualTo("iPhone");
    }

    @Test
    void desktopChromeOnWindows() {
        var f = uas.parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/120.0.0.0 Safari/537.36");
        assertThat(f.browser()).isEqualTo("Chrome");
        assertThat(f.os()).isEqualTo("Windows");
        assertThat(f.device()).isEqualTo("Other");
    }

    @Test
    void missingAndUnknownUserAgents() {
        assertThat(uas.parse(null)).isEqualTo(UserAgentFamilies.Families.UNKNOWN);
        assertThat(uas.parse("")).isEqualTo(UserAgentFamilies.Families.UNKNOWN);
        assertThat(uas.parse("zzz-not-a-browser").browser()).isEqualTo("Other");
    }

    @Test
    void cacheIsBounded() {
        uas.parse("a/1");
        uas.parse("b/1");
        uas.parse("c/1");
        assertThat(uas.cachedEntries()).isEqualTo(2);
    }
}
