package dw.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.ByteCoder;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A windowed result with its pane timing: {@code timing} (early, on time, late) and {@code isFinal}
 * (the window's allowed lateness has expired, so the value will not change again).
 */
public record Timed<T>(T value, PaneTiming timing, boolean isFinal) {

  /** Column value of {@code pane_timing}. */
  public String timingName() {
    return timing.name();
  }

  /** Coder: one byte (timing ordinal, bit 7 = final), then the value. */
  public static final class Coder<T> extends CustomCoder<Timed<T>> {
    private static final long serialVersionUID = 1L;
    private final org.apache.beam.sdk.coders.Coder<T> valueCoder;

    private Coder(org.apache.beam.sdk.coders.Coder<T> valueCoder) {
      this.valueCoder = valueCoder;
    }

    public static <T> Coder<T> of(org.apache.beam.sdk.coders.Coder<T> valueCoder) {
      return new Coder<>(valueCoder);
    }

    @Override
    public void encode(Timed<T> t, OutputStream out) throws IOException {
      ByteCoder.of().encode((byte) (t.timing.ordinal() | (t.isFinal ? 0x80 : 0)), out);
      valueCoder.encode(t.value, out);
    }

    @Override
    public Timed<T> decode(InputStream in) throws IOException {
      int b = ByteCoder.of().decode(in) & 0xff;
      PaneTiming[] timings = PaneTiming.values();
      int ordinal = b & 0x7f;
      if (ordinal >= timings.length) {
        throw new IOException("not a pane timing: " + ordinal);
      }
      return new Timed<>(valueCoder.decode(in), timings[ordinal], (b & 0x80) != 0);
    }

    @Override
    public List<? extends org.apache.beam.sdk.coders.Coder<?>> getCoderArguments() {
      return List.of(valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      valueCoder.verifyDeterministic();
    }
  }
}
