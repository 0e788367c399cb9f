package dw.transforms.pings;

import dw.transforms.common.BlockCoder;
import dw.transforms.security.SecurityPing;
import dw.transforms.privacy.IpPseudonymizer;
import java.io.IOException;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Compact, deterministic coder for {@link SecurityPing}, one block per ping ({@link BlockCoder}).
 * The version fields derived from the raw build are carried, so decoding does not parse the build
 * again. Used wherever pings cross a shuffle or sit in Flink state, so nothing falls back to Kryo or
 * Java serialization.
 *
 * <p>Versioned: a block starts with its format ({@link Writer#writeFormat}). Format {@value
 * #FORMAT} carries the client address's hash (32 bytes), network and clear text as the ping holds
 * them (the clear text and network are null unless the job was asked to keep them); the fingerprint
 * is the hash's first 8 bytes and is not written. The unversioned format before it carried the
 * clear address of every ping; such state is refused with a message (see docs/privacy.md,
 * "Upgrading a running stream"), since reading it would bring the clear addresses back into the
 * job's state.
 */
public final class SecurityPingCoder extends BlockCoder<SecurityPing> {
  /** The format this version writes and reads. */
  public static final int FORMAT = 2;

  private static final SecurityPingCoder INSTANCE = new SecurityPingCoder();

  public static SecurityPingCoder of() {
    return INSTANCE;
  }

  @Override
  public void write(SecurityPing p, Writer w) {
    w.writeFormat(FORMAT);
    writeFields(p, w);
  }

  @Override
  public SecurityPing read(Reader r) throws IOException {
    checkFormat(r.readFormat(), "ping");
    return readFields(r);
  }

  /**
   * Fails on a block of another format than {@value #FORMAT}; also used by the coders that nest a
   * ping's fields in their own versioned block.
   */
  public static void checkFormat(int format, String what) throws CoderException {
    if (format == FORMAT) {
      return;
    }
    if (format == 0) {
      throw new CoderException(
          "a "
              + what
              + " in the unversioned format of before the client-IP pseudonymization (it holds clear"
              + " client IPs): state or savepoints of that version cannot be restored; start the"
              + " stream without the savepoint after a backfill of its open days (docs/privacy.md)");
    }
    throw new CoderException(
        "a " + what + " in format " + format + ", this version reads format " + FORMAT
            + " (written by a newer version?)");
  }

  /** The ping's fields without the format marker (for a coder whose block has one). */
  public void writeFields(SecurityPing p, Writer w) {
    w.writeVarLong(p.eventTimeMillis());
    w.writeString(p.serverId());
    w.writeCommonString(p.build());
    w.writeCommonString(p.versionFull());
    w.writeNullableInt(p.versionMajor());
    w.writeNullableInt(p.versionMinor());
    w.writeNullableInt(p.versionPatch());
    w.writeBoolean(p.customBuild());
    w.writeNullableBoolean(p.enterpriseReady());
    w.writeCommonString(p.database());
    w.writeCommonString(p.os());
    w.writeNullableLong(p.registeredUsers());
    w.writeNullableLong(p.teams());
    w.writeNullableLong(p.activeUsers());
    w.writeBoolean(p.ranUnitTests());
    w.writeString(p.clientIp());
    w.writeHex(p.clientIpHash());
    w.writeCommonString(p.clientNetwork());
    w.writeCommonString(p.edgeLocation());
    w.writeString(p.requestId());
    w.writeCommonString(p.countryIso());
    w.writeCommonString(p.countryName());
    w.writeCommonString(p.subdivisionIso());
    w.writeCommonString(p.subdivisionName());
    w.writeCommonString(p.city());
    w.writeNullableLong(p.asn());
    w.writeVarInt(p.exclusionMask());
  }

  /** Reads {@link #writeFields}. */
  public SecurityPing readFields(Reader r) throws IOException {
    SecurityPing.Builder b = SecurityPing.builder();
    b.eventTimeMillis(r.readVarLong());
    b.serverId(r.readString());
    b.decodedBuild(
        r.readCommonString(),
        r.readCommonString(),
        r.readNullableInt(),
        r.readNullableInt(),
        r.readNullableInt(),
        r.readBoolean());
    b.enterpriseReady(r.readNullableBoolean());
    b.database(r.readCommonString());
    b.os(r.readCommonString());
    b.registeredUsers(r.readNullableLong());
    b.teams(r.readNullableLong());
    b.activeUsers(r.readNullableLong());
    b.ranUnitTests(r.readBoolean());
    b.clientIp(r.readString());
    String hash = r.readHex();
    b.pseudonyms(hash, r.readCommonString(), hash == null ? 0 : IpPseudonymizer.fingerprint(hash), true);
    b.edgeLocation(r.readCommonString());
    b.requestId(r.readString());
    String countryIso = r.readCommonString();
    String countryName = r.readCommonString();
    String subdivisionIso = r.readCommonString();
    String subdivisionName = r.readCommonString();
    String city = r.readCommonString();
    Long asn = r.readNullableLong();
    b.geo(countryIso, countryName, subdivisionIso, subdivisionName, city, asn);
    b.exclusionMask(r.readVarInt());
    return b.build();
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
