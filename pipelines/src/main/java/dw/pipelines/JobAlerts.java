package dw.pipelines;

import dw.io.alerts.ChatWebhook;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chat alert for a pipeline command that failed (the job ended FAILED, or threw before or while
 * running): posted from the submitting JVM (the CLI, or the JobManager in application mode) when a
 * webhook URL is configured ({@code --alertWebhookUrl} or {@value ChatWebhook#ENV_URL}). Waits at
 * most {@link #WAIT} for the receiver, since the process ends right after; never throws.
 */
final class JobAlerts {
  static final Duration WAIT = Duration.ofSeconds(10);

  private JobAlerts() {}

  /** Posts "command failed" with the error's message chain; returns what became of it, or null. */
  static ChatWebhook.Outcome jobFailed(String command, String[] args, Throwable error, Map<String, String> env) {
    try {
      String url = ChatWebhook.resolveUrl(optionValue(args, "alertWebhookUrl"), env);
      if (url == null) {
        return null;
      }
      String job = optionValue(args, "jobName");
      String text =
          ":rotating_light: **"
              + command
              + "** failed"
              + (job == null || job.isBlank() ? "" : " (job " + job + ")")
              + ":\n```\n"
              + Main.messageOf(error)
              + "\n```";
      return ChatWebhook.create(url, Duration.ZERO)
          .post(command + " job_failed", text)
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception | LinkageError e) {
      System.err.println("(the chat alert for this failure was not sent: " + e.getClass().getSimpleName() + ")");
      return ChatWebhook.Outcome.FAILED;
    }
  }

  /** The value of {@code --name=value} in {@code args}, or null. */
  static String optionValue(String[] args, String name) {
    String prefix = "--" + name + "=";
    String value = null;
    for (String a : args) {
      if (a.startsWith(prefix)) {
        value = a.substring(prefix.length());
      }
    }
    return value;
  }
}
