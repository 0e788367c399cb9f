package dw.io.lake;

import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.security.SecurityPing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The lake's {@code security_pings} table: its Avro schema (resource {@code security_ping.avsc},
 * written to Parquet by Beam's ParquetIO) and how a ping becomes a record. The client IP was
 * pseudonymized where it was read ({@link ClientIpPolicy}): the record holds its keyed hash, the
 * network only with {@code --storeNetwork} and the address itself only with {@code
 * --storeClientIpInClear} (the policy withholds what a ping carries beyond the flags).
 */
public final class LakeSchema {
  public static final String TABLE = "security_pings";

  private static final Schema SCHEMA = load();

  private LakeSchema() {}

  private static Schema load() {
    try (InputStream in = LakeSchema.class.getResourceAsStream("security_ping.avsc")) {
      if (in == null) {
        throw new IllegalStateException("resource dw/io/lake/security_ping.avsc is missing from the jar");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
    GenericData.Record r = new GenericData.Record(SCHEMA);
    r.put("event_time", p.eventTimeMillis());
    r.put("log_date", p.logEpochDay());
    r.put("server_id", p.serverId());
    r.put("build", p.build());
    r.put("version_full", p.versionFull());
    r.put("version_major", p.versionMajor());
    r.put("version_minor", p.versionMinor());
    r.put("version_patch", p.versionPatch());
    r.put("custom_build", p.customBuild());
    r.put("edition", p.edition());
    r.put("is_enterprise_ready", p.enterpriseReady());
    r.put("database_type", p.database());
    r.put("operating_system", p.os());
    r.put("registered_users", p.registeredUsers());
    r.put("teams", p.teams());
    r.put("active_users", p.activeUsers());
    r.put("ran_unit_tests", p.ranUnitTests());
    r.put("client_ip_hash", p.clientIpHash());
    r.put("client_network", ips.storesNetwork() ? p.clientNetwork() : null);
    r.put("client_ip", ips.storesInClear() ? p.clientIp() : null);
    r.put("edge_location", p.edgeLocation());
    r.put("request_id", p.requestId());
    r.put("country_iso", p.countryIso());
    r.put("country_name", p.countryName());
    r.put("subdivision_iso", p.subdivisionIso());
    r.put("subdivision_name", p.subdivisionName());
    r.put("city", p.city());
    r.put("asn", p.asn());
    r.put("exclusion_reasons", p.exclusionCodes());
    r.put("is_excluded", p.excluded());
    return r;
  }
}
