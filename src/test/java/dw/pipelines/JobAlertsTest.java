package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dw.io.alerts.ChatWebhook;
import dw.testing.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing pipeline command posts one chat alert, and a receiver that is down changes nothing. */
class JobAlertsTest {
  @TempDir Path dir;

  private String[] failingRun(String webhook) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    // not a MaxMind database: the command fails (exit 1) in its start-up checks
    Files.writeString(dir.resolve("broken.mmdb"), "not a database");
    return new String[] {
      "security-pings",
      "--input=" + dir.resolve("in"),
      "--from=2026-11-01",
      "--to=2026-11-01",
      "--warehouse=" + dir.resolve("w.duckdb"),
      "--ipHashKeyFile=" + writeKey(),
      "--geoipCityDatabase=" + dir.resolve("broken.mmdb"),
      "--alertWebhookUrl=" + webhook
    };
  }

  private Path writeKey() throws Exception {
    return Files.writeString(dir.resolve("ip.key"), "00112233445566778899aabbccddeeff");
  }

  @Test
  void aFailedCommandPostsItsErrorOnce() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Main.run(failingRun(receiver.url()), new PrintStream(new ByteArrayOutputStream()),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(1, code, err.toString(StandardCharsets.UTF_8));
      assertEquals(1, receiver.bodies.size(), "one alert, posted before run() returned");
      String text = new ObjectMapper().readTree(receiver.bodies.get(0)).get("text").asText();
      assertTrue(text.contains("**security-pings** failed"), text);
      assertTrue(text.contains("broken.mmdb"), "the alert says what failed: " + text);
      assertTrue(!err.toString(StandardCharsets.UTF_8).contains(WebhookReceiver.PATH), "the URL is never printed");
    }
  }

  @Test
  void aReceiverThatIsDownLeavesTheExitCodeAlone() throws Exception {
    String down;
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      down = receiver.url();
    } // closed: nothing listens any more
    int code = Main.run(failingRun(down), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()));
    assertEquals(1, code);
    assertEquals(
        ChatWebhook.Outcome.FAILED,
        JobAlerts.jobFailed("security-pings", new String[] {"--alertWebhookUrl=" + down},
            new IllegalStateException("boom"), Map.of()));
  }
}
