package dw.io.snowflake;

import dw.io.lake.LakeSchema;
import dw.transforms.common.CounterNames;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.security.SecurityPing;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Streaming into Snowflake: every parsed ping into the raw event table {@code security_pings}
 * ({@link RawPings}: the lake's columns, client IP through the same {@link ClientIpPolicy}),
 * appended by Snowpipe ({@link Snowpipe}). Counter {@code dw:rows_written_security_pings}.
 */
public final class WritePingsToSnowflake extends PTransform<PCollection<SecurityPing>, PDone> {
  private final SnowflakeConfig config;
  private final ClientIpPolicy ips;

  private WritePingsToSnowflake(SnowflakeConfig config, ClientIpPolicy ips) {
    this.config = config;
    this.ips = ips;
  }

  public static WritePingsToSnowflake to(SnowflakeConfig config, ClientIpPolicy ips) {
    config.checkStreaming();
    return new WritePingsToSnowflake(config, ips);
  }

  @Override
  public PDone expand(PCollection<SecurityPing> pings) {
    return pings
        .apply("ToRawRows", ParDo.of(new ToRawRowsFn(ips)))
        .setCoder(ListCoder.of(NullableCoder.of(StringUtf8Coder.of())))
        .apply("AppendWithSnowpipe", Snowpipe.append(config, RawPings.TABLE, config.snowpipe()));
  }

  static final class ToRawRowsFn extends DoFn<SecurityPing, List<String>> {
    private final ClientIpPolicy ips;
    private final Counter written =
        Metrics.counter(CounterNames.NAMESPACE, CounterNames.rowsWritten(RawPings.TABLE));

    ToRawRowsFn(ClientIpPolicy ips) {
      this.ips = ips;
    }

    @ProcessElement
    public void process(@Element SecurityPing p, OutputReceiver<List<String>> out) {
      out.output(RawPings.row(LakeSchema.toRecord(p, ips)));
      written.inc();
    }
  }
}
