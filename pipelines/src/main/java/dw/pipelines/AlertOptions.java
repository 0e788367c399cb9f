package dw.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The chat notifier (docs/monitoring.md "Chat alerts"): where it posts and when. */
public interface AlertOptions extends PipelineOptions {
  @Description(
      "Mattermost/Slack-compatible incoming-webhook URL for operator alerts (job failed, dead-letter"
          + " share too high). A secret: prefer the environment variable DW_ALERT_WEBHOOK_URL (or"
          + " DW_ALERT_WEBHOOK_URL_FILE), read on each worker and never logged; a value given here"
          + " travels with the job's options. Empty and no variable: no chat alerts.")
  @Default.String("")
  String getAlertWebhookUrl();

  void setAlertWebhookUrl(String value);

  @Description(
      "Streaming: post an alert when dead letters exceed this share of the records (parsed records"
          + " + dead letters) seen in one --alertWindowMinutes window. 0 turns the check off.")
  @Default.Double(0.05)
  Double getDeadLetterAlertShare();

  void setDeadLetterAlertShare(Double value);

  @Description("Streaming: minutes of records over which the dead-letter share is computed.")
  @Default.Integer(10)
  Integer getAlertWindowMinutes();

  void setAlertWindowMinutes(Integer value);

  @Description(
      "At most one chat message per kind of alert (and worker) within this many minutes; the"
          + " messages in between are dropped and counted in the next one.")
  @Default.Integer(30)
  Integer getAlertMinIntervalMinutes();

  void setAlertMinIntervalMinutes(Integer value);
}
