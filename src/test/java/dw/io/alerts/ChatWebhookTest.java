package dw.io.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import dw.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat notifier against a real HTTP receiver on 127.0.0.1. */
class ChatWebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookReceiver receiver;
  private List<String> bodies;

  @BeforeEach
  void start() throws IOException {
    receiver = new WebhookReceiver();
    bodies = receiver.bodies;
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private String url() {
    return receiver.url();
  }

  @Test
  void postsMattermostSlackPayload() throws Exception {
    ChatWebhook hook = ChatWebhook.create(url(), Duration.ofMinutes(30));
    assertEquals(ChatWebhook.Outcome.SENT, hook.post("k", "job *x* failed\nline 2 \"quoted\"").get(20, TimeUnit.SECONDS));
    assertEquals(1, bodies.size());
    JsonNode n = JSON.readTree(bodies.get(0));
    assertEquals("job *x* failed\nline 2 \"quoted\"", n.get("text").asText());
    assertEquals("dw-pipelines", n.get("username").asText());
    assertEquals("application/json", receiver.contentTypes.get(0));
  }

  @Test
  void rateLimitsPerKindAndReportsWhatWasDropped() throws Exception {
    AtomicLong now = new AtomicLong(1_700_000_000_000L);
    ChatWebhook hook = new ChatWebhook(url(), Duration.ofMinutes(30), Duration.ofSeconds(10), now::get);
    assertEquals(ChatWebhook.Outcome.SENT, hook.post("share", "first").get(20, TimeUnit.SECONDS));
    now.addAndGet(Duration.ofMinutes(10).toMillis());
    assertEquals(ChatWebhook.Outcome.RATE_LIMITED, hook.post("share", "second").get());
    assertEquals(ChatWebhook.Outcome.RATE_LIMITED, hook.post("share", "third").get());
    // another kind is not held back by the first
    assertEquals(ChatWebhook.Outcome.SENT, hook.post("failed", "other kind").get(20, TimeUnit.SECONDS));
    now.addAndGet(Duration.ofMinutes(21).toMillis());
    assertEquals(ChatWebhook.Outcome.SENT, hook.post("share", "fourth").get(20, TimeUnit.SECONDS));
    assertEquals(3, bodies.size());
    String last = JSON.readTree(bodies.get(2)).get("text").asText();
    assertTrue(last.startsWith("fourth\n(2 more alert(s) of this kind were not sent since "), last);
  }

  @Test
  void receiverDownIsAFailedOutcomeNotAnException() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    ChatWebhook hook = ChatWebhook.create("http://127.0.0.1:" + closedPort + "/hooks/x", Duration.ZERO);
    assertEquals(ChatWebhook.Outcome.FAILED, hook.post("k", "nobody listens").get(20, TimeUnit.SECONDS));
  }

  @Test
  void errorStatusIsAFailedOutcome() throws Exception {
    receiver.status = 500;
    ChatWebhook hook = ChatWebhook.create(url(), Duration.ZERO);
    assertEquals(ChatWebhook.Outcome.FAILED, hook.post("k", "x").get(20, TimeUnit.SECONDS));
    assertEquals(1, bodies.size());
  }

  @Test
  void aHangingReceiverNeverBlocksTheCaller() throws Exception {
    receiver.hang();
    ChatWebhook hook = new ChatWebhook(url(), Duration.ZERO, Duration.ofSeconds(1), System::currentTimeMillis);
    CompletableFuture<ChatWebhook.Outcome> f = hook.post("k", "slow");
    assertFalse(f.isDone(), "post must return before the receiver answers");
    assertEquals(ChatWebhook.Outcome.FAILED, f.get(20, TimeUnit.SECONDS)); // the 1 s request timeout
    receiver.release();
  }

  @Test
  void urlFromOptionEnvironmentOrFile(@TempDir Path dir) throws IOException {
    assertEquals("http://a", ChatWebhook.resolveUrl(" http://a ", Map.of(ChatWebhook.ENV_URL, "http://b")));
    assertEquals("http://b", ChatWebhook.resolveUrl("", Map.of(ChatWebhook.ENV_URL, "http://b")));
    Path f = Files.writeString(dir.resolve("url"), "http://c\n");
    assertEquals("http://c", ChatWebhook.resolveUrl(null, Map.of(ChatWebhook.ENV_URL_FILE, f.toString())));
    assertNull(ChatWebhook.resolveUrl("", Map.of()));
  }

  @Test
  void deadLetterShareMessageOnlyAboveTheThresholdAndMinimumVolume() {
    org.joda.time.Duration w = org.joda.time.Duration.standardMinutes(10);
    assertNull(AlertOnDeadLetterShare.message("p", 50, 40, 0.05, w), "under the minimum volume");
    assertNull(AlertOnDeadLetterShare.message("p", 950, 50, 0.05, w), "exactly at the threshold");
    String m = AlertOnDeadLetterShare.message("p", 940, 60, 0.05, w);
    assertTrue(m.contains("6.0%") && m.contains("60 dead letters of 1000 records"), m);
  }
}
