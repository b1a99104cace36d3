package io.questlog.loadgen.simulate;

import org.junit.jupiter.api.Test;
import ua_parser.Client;
import ua_parser.Parser;

import static org.assertj.core.api.Assertions.assertThat;

/** The families written to the manifest are the ones ingest-api's ua-parser derives from the header. */
class DeviceProfileTest {

    @Test
    void expectedFamiliesMatchUaParser() {
        Parser parser = new Parser();
        assertThat(DeviceProfile.CATALOG).allSatisfy(p -> {
            Client c = parser.parse(p.userAgent());
            assertThat(c.userAgent.family).as(p.name() + " browser").isEqualTo(p.browserFamily());
            assertThat(c.os.family).as(p.name() + " os").isEqualTo(p.osFamily());
            assertThat(c.device.family).as(p.name() + " device").isEqualTo(p.deviceFamily());
        });
    }
}
