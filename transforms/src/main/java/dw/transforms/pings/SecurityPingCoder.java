package dw.transforms.pings;

import dw.transforms.common.BlockCoder;
import dw.transforms.security.SecurityPing;
import java.io.IOException;

/**
 * Compact, deterministic coder for {@link SecurityPing}, one block per ping ({@link BlockCoder}).
 * The version fields derived from the raw build are carried, so decoding does not parse the build
 * again. Used wherever pings cross a shuffle or sit in Flink state, so nothing falls back to Kryo or
 * Java serialization.
 */
public final class SecurityPingCoder extends BlockCoder<SecurityPing> {
  private static final SecurityPingCoder INSTANCE = new SecurityPingCoder();

  public static SecurityPingCoder of() {
    return INSTANCE;
  }

  @Override
  public void write(SecurityPing p, Writer w) {
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

  @Override
  public SecurityPing read(Reader r) throws IOException {
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
