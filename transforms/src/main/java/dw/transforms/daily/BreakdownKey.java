package dw.transforms.daily;

import dw.transforms.common.BlockCoder;
import java.io.IOException;
import java.util.Comparator;

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

  public static final class Coder extends BlockCoder<BreakdownKey> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(BreakdownKey k, Writer w) {
      w.writeString(k.version);
      w.writeString(k.edition);
      w.writeString(k.database);
      w.writeString(k.os);
      w.writeString(k.countryIso);
    }

    @Override
    public BreakdownKey read(Reader r) throws IOException {
      return new BreakdownKey(
          r.readString(), r.readString(), r.readString(), r.readString(), r.readString());
    }
  }
}
