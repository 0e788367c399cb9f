package dw.transforms.releases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The original's URI rules (original-system.md §3 and the example lines of §7.2), and the fix. */
class ReleaseUriTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // original-system.md §7.2, lines 1-6
    "/9.7.1/mattermost-9.7.1-linux-amd64.tar.gz, enterprise, linux, 9.7.1, 9, 7, 1",
    "/9.7.1/mattermost-team-9.7.1-linux-amd64.tar.gz, team, linux, 9.7.1, 9, 7, 1",
    "/desktop/5.7.0/mattermost-desktop-setup-5.7.0-win.exe, desktop, windows, 5.7.0, 5, 7, 0",
    "/desktop/5.7.0/mattermost-desktop-5.7.0-mac.dmg, desktop, mac, 5.7.0, 5, 7, 0",
    "/9.7.1/mattermost-9.7.1-linux-amd64.tar.gz.sig, enterprise, linux, 9.7.1, 9, 7, 1",
    "/9.7.1/mattermost-9.7.1-windows-amd64.zip, enterprise, windows, 9.7.1, 9, 7, 1",
    // the other desktop OS rules
    "/desktop/5.7.0/mattermost-desktop-5.7.0-x64.msi, desktop, windows, 5.7.0, 5, 7, 0",
    "/desktop/4.2.3/mattermost-desktop-4.2.3-win64.zip, desktop, windows, 4.2.3, 4, 2, 3",
    "/desktop/4.2.3/mattermost-desktop-4.2.3-win-x64.zip, desktop, windows, 4.2.3, 4, 2, 3",
    "/desktop/3.7.1/mattermost-desktop-3.7.1-osx.tar.gz, desktop, mac, 3.7.1, 3, 7, 1",
    "/desktop/5.7.0/mattermost-desktop-5.7.0-linux-x86_64.AppImage, desktop, linux, 5.7.0, 5, 7, 0",
    "/desktop/5.7.0/mattermost-desktop-5.7.0-mac-universal.zip, desktop, unknown, 5.7.0, 5, 7, 0",
    // linux wins over windows, like the original's CASE order
    "/desktop/5.7.0/mattermost-desktop-5.7.0-linux-win64.tar.gz, desktop, linux, 5.7.0, 5, 7, 0",
    // server without an OS rule; team anywhere in the URI
    "/9.7.1/mattermost-9.7.1-darwin-amd64.tar.gz, enterprise, unknown, 9.7.1, 9, 7, 1",
    "/7.8.15/mattermost-team-7.8.15-windows-amd64.zip, team, windows, 7.8.15, 7, 8, 15",
    // the deliberate fix: majors containing a 0
    "/10.5.1/mattermost-10.5.1-linux-amd64.tar.gz, enterprise, linux, 10.5.1, 10, 5, 1",
    "/10.11.0/mattermost-team-10.11.0-linux-arm64.tar.gz, team, linux, 10.11.0, 10, 11, 0",
    "/100.0.0/mattermost-100.0.0-linux-amd64.tar.gz, enterprise, linux, 100.0.0, 100, 0, 0",
    "/desktop/6.0.0/mattermost-desktop-6.0.0-mac.dmg, desktop, mac, 6.0.0, 6, 0, 0",
    "/desktop/10.1.0/mattermost-desktop-10.1.0-win.msi, desktop, windows, 10.1.0, 10, 1, 0",
    // minor and patch may start with 0 (as in the original)
    "/9.07.001/x-linux.tar.gz, enterprise, linux, 9.07.001, 9, 7, 1"
  })
  void classifiesLikeTheOriginal(
      String uri, String type, String os, String version, int major, int minor, int patch) {
    ReleaseUri r = ReleaseUri.parse(uri);
    assertEquals(type, r.downloadType(), uri);
    assertEquals(os, r.operatingSystem(), uri);
    assertEquals(version, r.version(), uri);
    assertEquals(major, r.major());
    assertEquals(minor, r.minor());
    assertEquals(patch, r.patch());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/",
    "/index.html",
    "/desktop/",
    "/desktop/latest/mattermost-desktop-setup.exe",
    "/latest/mattermost-linux-amd64.tar.gz",
    "/9.7/mattermost-9.7-linux.tar.gz",
    "/9.7.1",
    "/9.7.1.2/x-linux.tar.gz",
    "/0.9.1/mattermost-0.9.1-linux-amd64.tar.gz",
    "/01.2.3/x.tar.gz",
    "/1000.1.1/x.tar.gz",
    "/9.1000.1/x.tar.gz",
    "/v9.7.1/x.tar.gz",
    "9.7.1/x.tar.gz",
    "/mobile/9.7.1/x.apk",
    "/desktop/0.1.0/x-win.exe"
  })
  void urisWithoutAVersionAreNoRelease(String uri) {
    assertNull(ReleaseUri.parse(uri), uri);
  }

  @Test
  void nullAndEmptyAreNoRelease() {
    assertNull(ReleaseUri.parse(null));
    assertNull(ReleaseUri.parse(""));
  }

  @Test
  void theOriginalRegexLostEveryMajorWithAZero() {
    // the original: ^/[1-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}/.*  (kept here to show what it did)
    java.util.regex.Pattern original =
        java.util.regex.Pattern.compile("^/[1-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}/.*");
    String uri = "/10.5.1/mattermost-10.5.1-linux-amd64.tar.gz";
    assertEquals(false, original.matcher(uri).matches());
    assertEquals("10.5.1", ReleaseUri.parse(uri).version());
  }
}
