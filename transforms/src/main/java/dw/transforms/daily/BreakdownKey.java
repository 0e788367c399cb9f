package dw.transforms.daily;

import dw.transforms.common.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Comparator;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * The breakdown of the daily totals: version (major.minor), edition (E0/TE/Unknown), database,
 * OS and country ISO code of the server's latest ping of the day; {@code unknown} when missing.
 */
public record BreakdownKey(
    String version, String edition, String database, String os, String countryIso)
    implements Comparable<BreakdownKey> {
  private static final Comparator<BreakdownKey> ORDER =
      Comparator.comparing(BreakdownKey::version)
          .thenComparing(BreakdownKey::edition)
          .thenComparing(BreakdownKey::database)
          .thenComparing(BreakdownKey::os)
          .thenComparing(BreakdownKey::countryIso);

  @Override
  public int compareTo(BreakdownKey o) {
    return ORDER.compare(this, o);
  }

  public static final class Coder extends AtomicCoder<BreakdownKey> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(BreakdownKey k, OutputStream out) throws IOException {
      Codec.writeString(out, k.version);
      Codec.writeString(out, k.edition);
      Codec.writeString(out, k.database);
      Codec.writeString(out, k.os);
      Codec.writeString(out, k.countryIso);
    }

    @Override
    public BreakdownKey decode(InputStream in) throws IOException {
      return new BreakdownKey(
          Codec.readString(in),
          Codec.readString(in),
          Codec.readString(in),
          Codec.readString(in),
          Codec.readString(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
