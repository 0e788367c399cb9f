package dw.io.lake;

import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.security.SecurityPing;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The lake's {@code security_pings} table: its Avro schema (derived from the ping's field table
 * {@link SecurityPing#FIELDS}, written to Parquet by Beam's ParquetIO; pinned by {@code
 * LakeSchemasGoldenTest}) and how a ping becomes a record. The client IP was
 * pseudonymized where it was read ({@link ClientIpPolicy}): the record holds its keyed hash, the
 * network only with {@code --storeNetwork} and the address itself only with {@code
 * --storeClientIpInClear} (the policy withholds what a ping carries beyond the flags).
 */
public final class LakeSchema {
  public static final String TABLE = "security_pings";

  /** The Avro schema of the table, from the ping's field table ({@link SecurityPing#FIELDS}). */
  private static final Schema SCHEMA =
      AvroFields.schema(
          "SecurityPing",
          "dw.lake",
          "One parsed, enriched security-update-check ping (lake table security_pings). Stable: add"
              + " nullable fields at the end, never rename or remove. The partition columns"
              + " table/date/hour live only in the path (table=security_pings/date=YYYY-MM-DD/hour=HH/)."
              + " client_ip is null unless the job ran with --storeClientIpInClear.",
          SecurityPing.FIELDS);

  private LakeSchema() {}

  public static Schema schema() {
    return SCHEMA;
  }

  /** The partition of a ping: {@code date=YYYY-MM-DD/hour=HH} of its UTC event time. */
  public static String partition(long eventTimeMillis) {
    ZonedDateTime t = Instant.ofEpochMilli(eventTimeMillis).atZone(ZoneOffset.UTC);
    int h = t.getHour();
    return "date=" + t.toLocalDate() + "/hour=" + (h < 10 ? "0" : "") + h;
  }

  /** The lake record of a ping. */
  public static GenericRecord toRecord(SecurityPing p, ClientIpPolicy ips) {
    return AvroFields.record(SCHEMA, SecurityPing.FIELDS, p, ips);
  }
}
