package dw.transforms.releases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferrerHostTest {
  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {
        "https://mattermost.com/download/, mattermost.com",
        "https://Docs.Mattermost.com:443/install?x=1#y, docs.mattermost.com",
        "http://user:pw@example.org, example.org",
        "https://[2001:db8::1]:8443/x, [2001:db8::1]",
        "android-app://com.google.android.gm/, com.google.android.gm",
        "-, NULL",
        "NULL, NULL",
        "mattermost.com/download, NULL",
        "https:///x, NULL"
      })
  void hostOfTheReferrer(String referer, String host) {
    assertEquals(host, ReferrerHost.of(referer));
  }
}
