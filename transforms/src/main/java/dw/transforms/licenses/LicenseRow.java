package dw.transforms.licenses;

import dw.transforms.common.BlockCoder;
import java.io.IOException;
import java.util.Comparator;

/**
 * One valid row of a nightly license export, typed: the snapshot date (from the file's folder and
 * name), the row's place in its file, and the eight columns ({@code issuedat}/{@code expiresat}
 * epoch milliseconds). {@code email} is held in clear inside the pipeline only; sinks store it
 * through the {@link dw.transforms.privacy.EmailPolicy}.
 */
public record LicenseRow(
    int snapshotEpochDay,
    String file,
    long lineNumber,
    String licenseId,
    String customerId,
    String company,
    String number,
    String email,
    String stripeId,
    long issuedAtMillis,
    long expiresAtMillis) {

  /** Which copy of a license id is kept when a snapshot has it twice: the first in file order. */
  public static final Comparator<LicenseRow> FILE_ORDER =
      Comparator.comparing(LicenseRow::file).thenComparingLong(LicenseRow::lineNumber);

  /** Compact coder (no Java serialization, no Kryo). */
  public static final class Coder extends BlockCoder<LicenseRow> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(LicenseRow v, Writer w) {
      w.writeVarInt(v.snapshotEpochDay);
      w.writeString(v.file);
      w.writeVarLong(v.lineNumber);
      w.writeString(v.licenseId);
      w.writeString(v.customerId);
      w.writeString(v.company);
      w.writeString(v.number);
      w.writeString(v.email);
      w.writeString(v.stripeId);
      w.writeVarLong(v.issuedAtMillis);
      w.writeVarLong(v.expiresAtMillis);
    }

    @Override
    public LicenseRow read(Reader r) throws IOException {
      return new LicenseRow(
          r.readVarInt(), r.readString(), r.readVarLong(), r.readString(), r.readString(),
          r.readString(), r.readString(), r.readString(), r.readString(), r.readVarLong(),
          r.readVarLong());
    }
  }
}
