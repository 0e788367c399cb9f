package dw.transforms.pings;

import dw.transforms.common.Codec;
import dw.transforms.security.SecurityPing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * Compact, deterministic coder for {@link SecurityPing} (var-ints and length-prefixed UTF-8; the
 * derived version fields are recomputed from the raw build on decode). Used wherever pings cross a
 * shuffle or sit in Flink state, so nothing falls back to Kryo or Java serialization.
 */
public final class SecurityPingCoder extends AtomicCoder<SecurityPing> {
  private static final SecurityPingCoder INSTANCE = new SecurityPingCoder();

  public static SecurityPingCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SecurityPing p, OutputStream out) throws IOException {
    Codec.writeVarLong(out, p.eventTimeMillis());
    Codec.writeString(out, p.serverId());
    Codec.writeString(out, p.build());
    Codec.writeNullableBoolean(out, p.enterpriseReady());
    Codec.writeString(out, p.database());
    Codec.writeString(out, p.os());
    Codec.writeNullableLong(out, p.registeredUsers());
    Codec.writeNullableLong(out, p.teams());
    Codec.writeNullableLong(out, p.activeUsers());
    out.write(p.ranUnitTests() ? 1 : 0);
    Codec.writeString(out, p.clientIp());
    Codec.writeString(out, p.edgeLocation());
    Codec.writeString(out, p.requestId());
    Codec.writeString(out, p.countryIso());
    Codec.writeString(out, p.countryName());
    Codec.writeString(out, p.subdivisionIso());
    Codec.writeString(out, p.subdivisionName());
    Codec.writeString(out, p.city());
    Codec.writeNullableLong(out, p.asn());
    Codec.writeVarInt(out, p.exclusionMask());
  }

  @Override
  public SecurityPing decode(InputStream in) throws IOException {
    SecurityPing.Builder b = SecurityPing.builder();
    b.eventTimeMillis(Codec.readVarLong(in));
    b.serverId(Codec.readString(in));
    b.rawBuild(Codec.readString(in));
    b.enterpriseReady(Codec.readNullableBoolean(in));
    b.database(Codec.readString(in));
    b.os(Codec.readString(in));
    b.registeredUsers(Codec.readNullableLong(in));
    b.teams(Codec.readNullableLong(in));
    b.activeUsers(Codec.readNullableLong(in));
    b.ranUnitTests(in.read() == 1);
    b.clientIp(Codec.readString(in));
    b.edgeLocation(Codec.readString(in));
    b.requestId(Codec.readString(in));
    String countryIso = Codec.readString(in);
    String countryName = Codec.readString(in);
    String subdivisionIso = Codec.readString(in);
    String subdivisionName = Codec.readString(in);
    String city = Codec.readString(in);
    Long asn = Codec.readNullableLong(in);
    b.geo(countryIso, countryName, subdivisionIso, subdivisionName, city, asn);
    b.exclusionMask(Codec.readVarInt(in));
    return b.build();
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
