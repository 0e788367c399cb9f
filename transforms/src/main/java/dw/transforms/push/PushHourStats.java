package dw.transforms.push;

import dw.transforms.common.BlockCoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * The mergeable aggregate of one (hour, deployment, route): counts by status class, bytes, the
 * regions and load balancers seen, requests and answered per client country, and an {@link
 * Histogram HdrHistogram} of the target processing time (whole milliseconds) of answered requests.
 *
 * <p>Percentiles are HdrHistogram's {@code getValueAtPercentile}: the smallest recorded value whose
 * cumulative count reaches {@code round-half-down(p / 100 · n)} (at least 1), i.e. the nearest-rank
 * percentile. With 3 significant digits, every value below 2048 ms is recorded exactly; above, within
 * 0.1 %.
 */
public final class PushHourStats {
  private static final int SIGNIFICANT_DIGITS = 3;

  long requests;
  long answered;
  long rateLimited;
  long clientErrors;
  long serverErrors;
  long receivedBytes;
  long sentBytes;
  final TreeSet<String> regions = new TreeSet<>();
  final TreeSet<String> loadBalancers = new TreeSet<>();
  /** country → {requests, answered}. */
  final TreeMap<String, long[]> countries = new TreeMap<>();
  Histogram targetMillis = newHistogram();

  private static Histogram newHistogram() {
    return new Histogram(SIGNIFICANT_DIGITS); // auto-resizing: grows with the largest value
  }

  public void add(PushRequest r) {
    requests++;
    PushStatus s = PushStatus.of(r.elbStatus());
    switch (s) {
      case ANSWERED -> {
        answered++;
        if (r.targetMillis() >= 0) {
          targetMillis.recordValue(r.targetMillis());
        }
      }
      case RATE_LIMITED -> rateLimited++;
      case CLIENT_ERROR -> clientErrors++;
      case SERVER_ERROR -> serverErrors++;
      case OTHER -> {}
    }
    if (r.receivedBytes() > 0) {
      receivedBytes += r.receivedBytes();
    }
    if (r.sentBytes() > 0) {
      sentBytes += r.sentBytes();
    }
    regions.add(r.awsRegion());
    loadBalancers.add(r.loadBalancer());
    long[] c = countries.computeIfAbsent(r.countryIso(), k -> new long[2]);
    c[0]++;
    if (s == PushStatus.ANSWERED) {
      c[1]++;
    }
  }

  public void merge(PushHourStats o) {
    requests += o.requests;
    answered += o.answered;
    rateLimited += o.rateLimited;
    clientErrors += o.clientErrors;
    serverErrors += o.serverErrors;
    receivedBytes += o.receivedBytes;
    sentBytes += o.sentBytes;
    regions.addAll(o.regions);
    loadBalancers.addAll(o.loadBalancers);
    o.countries.forEach(
        (k, v) -> {
          long[] c = countries.computeIfAbsent(k, x -> new long[2]);
          c[0] += v[0];
          c[1] += v[1];
        });
    targetMillis.add(o.targetMillis);
  }

  public long requests() {
    return requests;
  }

  public long answered() {
    return answered;
  }

  public long rateLimited() {
    return rateLimited;
  }

  public long clientErrors() {
    return clientErrors;
  }

  public long serverErrors() {
    return serverErrors;
  }

  public long receivedBytes() {
    return receivedBytes;
  }

  public long sentBytes() {
    return sentBytes;
  }

  /** The regions seen, comma-separated in order (one for a load balancer). */
  public String regions() {
    return String.join(",", regions);
  }

  public String loadBalancers() {
    return String.join(",", loadBalancers);
  }

  /** country → {requests, answered}, by country code. */
  public Map<String, long[]> countries() {
    return countries;
  }

  /** The target time at percentile {@code p} of answered requests, in ms; null when none. */
  public Long targetPercentileMillis(double p) {
    return targetMillis.getTotalCount() == 0 ? null : targetMillis.getValueAtPercentile(p);
  }

  /** Coder: counts, sets and countries, then the histogram in HdrHistogram's own encoding. */
  public static final class Coder extends BlockCoder<PushHourStats> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(PushHourStats v, Writer w) {
      w.writeVarLong(v.requests);
      w.writeVarLong(v.answered);
      w.writeVarLong(v.rateLimited);
      w.writeVarLong(v.clientErrors);
      w.writeVarLong(v.serverErrors);
      w.writeVarLong(v.receivedBytes);
      w.writeVarLong(v.sentBytes);
      w.writeVarInt(v.regions.size());
      v.regions.forEach(w::writeString);
      w.writeVarInt(v.loadBalancers.size());
      v.loadBalancers.forEach(w::writeString);
      w.writeVarInt(v.countries.size());
      v.countries.forEach(
          (k, c) -> {
            w.writeString(k);
            w.writeVarLong(c[0]);
            w.writeVarLong(c[1]);
          });
      ByteBuffer buf = ByteBuffer.allocate(v.targetMillis.getNeededByteBufferCapacity());
      v.targetMillis.encodeIntoByteBuffer(buf);
      byte[] b = new byte[buf.position()];
      buf.flip();
      buf.get(b);
      w.writeBytes(b); // last: read back with readRest
    }

    @Override
    public PushHourStats read(Reader r) throws IOException {
      PushHourStats s = new PushHourStats();
      s.requests = r.readVarLong();
      s.answered = r.readVarLong();
      s.rateLimited = r.readVarLong();
      s.clientErrors = r.readVarLong();
      s.serverErrors = r.readVarLong();
      s.receivedBytes = r.readVarLong();
      s.sentBytes = r.readVarLong();
      for (int i = r.readVarInt(); i > 0; i--) {
        s.regions.add(r.readString());
      }
      for (int i = r.readVarInt(); i > 0; i--) {
        s.loadBalancers.add(r.readString());
      }
      for (int i = r.readVarInt(); i > 0; i--) {
        s.countries.put(r.readString(), new long[] {r.readVarLong(), r.readVarLong()});
      }
      try {
        Histogram h = Histogram.decodeFromByteBuffer(ByteBuffer.wrap(r.readRest()), 0);
        h.setAutoResize(true);
        s.targetMillis = h;
      } catch (RuntimeException e) {
        throw new IOException("corrupt target-time histogram", e);
      }
      return s;
    }
  }
}
