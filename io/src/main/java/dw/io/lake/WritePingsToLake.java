package dw.io.lake;

import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.security.SecurityPing;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.joda.time.Duration;

/**
 * The security pings' lake table ({@code table=security_pings}, schema {@link LakeSchema}) for
 * {@link WriteToLake}: every parsed, enriched ping, client IP through the privacy policy.
 */
public final class WritePingsToLake implements LakeTable<SecurityPing> {
  private static final long serialVersionUID = 1L;

  private WritePingsToLake() {}

  /** See {@link WriteToLake#to}. */
  public static WriteToLake<SecurityPing> to(
      String lake, ClientIpPolicy ips, int shards, Duration allowedLateness, Duration lateFiringDelay) {
    return WriteToLake.to(new WritePingsToLake(), lake, ips, shards, allowedLateness, lateFiringDelay);
  }

  /** The folder of the table: {@code <lake>/table=security_pings}. */
  public static String tableRoot(String lake) {
    return WriteToLake.tableRoot(lake, LakeSchema.TABLE);
  }

  @Override
  public String name() {
    return LakeSchema.TABLE;
  }

  @Override
  public Schema schema() {
    return LakeSchema.schema();
  }

  @Override
  public long eventTimeMillis(SecurityPing p) {
    return p.eventTimeMillis();
  }

  @Override
  public GenericRecord toRecord(SecurityPing p, ClientIpPolicy ips) {
    return LakeSchema.toRecord(p, ips);
  }
}
