package dw.io.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts operator alerts to a Mattermost- or Slack-compatible incoming webhook: {@code POST} of
 * {@code {"text": ..., "username": "dw-pipelines"}} as JSON. Never blocks its caller and never
 * throws: {@link #post} returns at once with a future of the {@link Outcome}; connecting and the
 * whole request have timeouts; a receiver that is down or slow only yields {@code FAILED}.
 * Rate-limited per kind of alert: at most one message per kind within the minimum interval; the
 * ones in between are dropped and the next message says how many were.
 *
 * <p>The URL is a secret (its path is the credential): it is never logged or put in a message.
 */
public final class ChatWebhook {
  /** Environment variable holding the webhook URL. */
  public static final String ENV_URL = "DW_ALERT_WEBHOOK_URL";
  /** Environment variable naming a file that holds the webhook URL (a mounted secret). */
  public static final String ENV_URL_FILE = "DW_ALERT_WEBHOOK_URL_FILE";

  private static final Logger LOG = LoggerFactory.getLogger(ChatWebhook.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, ChatWebhook> SHARED = new ConcurrentHashMap<>();

  /** What became of one alert. */
  public enum Outcome {
    /** The receiver answered 2xx. */
    SENT,
    /** Another alert of this kind went out within the minimum interval; this one was dropped. */
    RATE_LIMITED,
    /** The receiver was unreachable, too slow or answered an error; nothing is retried. */
    FAILED
  }

  private final URI url;
  private final long minIntervalMillis;
  private final Duration requestTimeout;
  private final LongSupplier clock;
  private final HttpClient client;
  private final Map<String, Long> lastSent = new HashMap<>();
  private final Map<String, Integer> suppressed = new HashMap<>();

  ChatWebhook(String url, Duration minInterval, Duration requestTimeout, LongSupplier clockMillis) {
    this.url = URI.create(url);
    if (!"http".equals(this.url.getScheme()) && !"https".equals(this.url.getScheme())) {
      throw new IllegalArgumentException("alert webhook: not an http(s) URL");
    }
    this.minIntervalMillis = minInterval.toMillis();
    this.requestTimeout = requestTimeout;
    this.clock = clockMillis;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A notifier with a 10 s request timeout and the system clock. */
  public static ChatWebhook create(String url, Duration minInterval) {
    return new ChatWebhook(url, minInterval, Duration.ofSeconds(10), System::currentTimeMillis);
  }

  /**
   * The notifier of this JVM for {@code url}: every DoFn instance of a worker shares it, so the
   * rate limit holds per worker, not per instance.
   */
  public static ChatWebhook shared(String url, Duration minInterval) {
    return SHARED.computeIfAbsent(minInterval.toMillis() + " " + url, k -> create(url, minInterval));
  }

  /**
   * The webhook URL: {@code option} when given, else {@value #ENV_URL}, else the content of the file
   * named by {@value #ENV_URL_FILE}; null when none is set (alerts off).
   */
  public static String resolveUrl(String option, Map<String, String> env) {
    if (option != null && !option.isBlank()) {
      return option.trim();
    }
    String v = env.get(ENV_URL);
    if (v != null && !v.isBlank()) {
      return v.trim();
    }
    String file = env.get(ENV_URL_FILE);
    if (file != null && !file.isBlank()) {
      try {
        String s = Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).trim();
        return s.isEmpty() ? null : s;
      } catch (IOException e) {
        throw new UncheckedIOException(ENV_URL_FILE + "=" + file + ": cannot read the webhook URL", e);
      }
    }
    return null;
  }

  /** The JSON body of a message (Mattermost and Slack both read {@code text}). */
  public static String payload(String text) {
    ObjectNode n = JSON.createObjectNode();
    n.put("text", text);
    n.put("username", "dw-pipelines");
    return n.toString();
  }

  /**
   * Sends {@code text} unless an alert of the same {@code kind} went out less than the minimum
   * interval ago. Returns at once.
   */
  public CompletableFuture<Outcome> post(String kind, String text) {
    String body;
    synchronized (this) {
      long now = clock.getAsLong();
      Long last = lastSent.get(kind);
      if (last != null && now - last < minIntervalMillis) {
        suppressed.merge(kind, 1, Integer::sum);
        return CompletableFuture.completedFuture(Outcome.RATE_LIMITED);
      }
      lastSent.put(kind, now);
      Integer dropped = suppressed.remove(kind);
      body =
          payload(
              dropped == null
                  ? text
                  : text
                      + "\n("
                      + dropped
                      + " more alert(s) of this kind were not sent since "
                      + Instant.ofEpochMilli(last)
                      + ": at most one per "
                      + Duration.ofMillis(minIntervalMillis).toMinutes()
                      + " min)");
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    try {
      return client
          .sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .handle(
              (response, error) -> {
                if (error != null) {
                  LOG.warn("alert webhook: {} ({}): alert '{}' not delivered", error.getClass().getSimpleName(),
                      error.getMessage(), kind);
                  return Outcome.FAILED;
                }
                if (response.statusCode() / 100 != 2) {
                  LOG.warn("alert webhook: HTTP {}: alert '{}' not delivered", response.statusCode(), kind);
                  return Outcome.FAILED;
                }
                return Outcome.SENT;
              });
    } catch (RuntimeException e) {
      LOG.warn("alert webhook: {}: alert '{}' not delivered", e.getClass().getSimpleName(), kind);
      return CompletableFuture.completedFuture(Outcome.FAILED);
    }
  }
}
