package dw.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the {@code licenses} pipeline: the shared log-pipeline options ({@code --input} is
 * the folder or {@code s3://} prefix holding the {@code <YYYY-MM-DD>/} snapshot folders) plus the
 * e-mail privacy switch.
 */
public interface LicensesOptions extends LogPipelineOptions {
  @Description(
      "Deliberately store license e-mail addresses in clear (column email) besides their keyed"
          + " hash (email_hash, same key as client IPs). Off by default: personal data.")
  @Default.Boolean(false)
  Boolean getStoreEmailInClear();

  void setStoreEmailInClear(Boolean value);
}
