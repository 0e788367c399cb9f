package dw.transforms.licenses;

import dw.transforms.logs.LineParser;
import dw.transforms.logs.LogFormat;
import dw.transforms.privacy.EmailPolicy;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/** The nightly license exports as a {@link LogFormat}: CSV lines → {@link LicenseRow}s. */
public final class LicenseFormat implements LogFormat<LicenseRow> {
  public static final String PIPELINE = "licenses";
  /** Counter (and run-summary key) of the rows kept by the reading step. */
  public static final String PARSED_COUNTER = "parsed_rows";

  private final EmailPolicy redaction;

  /** @param redaction hashes e-mail addresses in dead letters' raw lines (null: keep them raw) */
  public LicenseFormat(EmailPolicy redaction) {
    this.redaction = redaction;
  }

  @Override
  public String pipeline() {
    return PIPELINE;
  }

  @Override
  public List<String> filterReasons() {
    return LicenseCsv.FILTER_REASONS;
  }

  @Override
  public String parsedCounter() {
    return PARSED_COUNTER;
  }

  @Override
  public Coder<LicenseRow> recordCoder() {
    return LicenseRow.Coder.of();
  }

  @Override
  public LineParser<LicenseRow> newParser() {
    return new LicenseCsv(redaction);
  }
}
