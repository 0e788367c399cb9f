package dw.io.files;

import dw.transforms.common.BlockCoder;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The restriction of {@link TailLogFiles}: which hours are tracked and which objects of each were
 * already emitted. It is all the source remembers, and it is checkpointed by Flink with the rest
 * of the job, so a restart neither re-reads nor skips an object.
 *
 * <p>"Hour" here is the {@link KeyLayout}'s time unit: an hour for CloudFront, a day folder for
 * load balancers (the field names stay, as they are part of checkpoints).
 *
 * <p>Tracked hours are the open hours (not older than the lateness bound; the source's watermark
 * is the oldest of them) plus a band of recently closed hours still scanned for late files. Older
 * hours are forgotten with their keys, so the state is proportional to the files of about
 * (lateness + scan band) hours, never to history.
 */
public final class TailState implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The first open hour when the job started; earlier hours are never listed. */
  long startHour = Long.MIN_VALUE;
  /** The oldest open hour (the watermark); MIN before the first poll. */
  long watermarkHour = Long.MIN_VALUE;
  /** Emitted object names per tracked hour. */
  final TreeMap<Long, HashSet<String>> seen = new TreeMap<>();
  /** The done part of a checkpointed restriction. */
  boolean finished;

  static TailState finishedPart() {
    TailState s = new TailState();
    s.finished = true;
    return s;
  }

  TailState copy() {
    TailState c = new TailState();
    c.startHour = startHour;
    c.watermarkHour = watermarkHour;
    c.finished = finished;
    for (Map.Entry<Long, HashSet<String>> e : seen.entrySet()) {
      c.seen.put(e.getKey(), new HashSet<>(e.getValue()));
    }
    return c;
  }

  void apply(TailClaim c) {
    if (c.key() != null) {
      seen.computeIfAbsent(c.hour(), h -> new HashSet<>()).add(c.key());
      return;
    }
    if (startHour == Long.MIN_VALUE) {
      startHour = c.startHour();
    }
    watermarkHour = Math.max(watermarkHour, c.hour());
    seen.headMap(c.forgetBefore()).clear();
  }

  boolean contains(long hour, String key) {
    HashSet<String> s = seen.get(hour);
    return s != null && s.contains(key);
  }

  /** Object names held in the state. */
  public int trackedKeys() {
    int n = 0;
    for (HashSet<String> s : seen.values()) {
      n += s.size();
    }
    return n;
  }

  /** Hours with at least one tracked name. */
  public int trackedHours() {
    return seen.size();
  }

  public long watermarkHour() {
    return watermarkHour;
  }

  public boolean isFinished() {
    return finished;
  }

  @Override
  public String toString() {
    return "TailState{watermark=" + (watermarkHour == Long.MIN_VALUE ? "-" : java.time.Instant.ofEpochMilli(watermarkHour))
        + ", hours=" + seen.size() + ", keys=" + trackedKeys() + (finished ? ", finished" : "") + "}";
  }

  /**
   * One step of the source: an object emitted (hour, key), or the end of a poll (key null; hour =
   * the new watermark hour, startHour, forgetBefore = hours older than this are dropped).
   */
  record TailClaim(long hour, String key, long startHour, long forgetBefore) implements Serializable {
    static TailClaim object(long hour, String key) {
      return new TailClaim(hour, key, 0, 0);
    }

    static TailClaim endOfPoll(long watermarkHour, long startHour, long forgetBefore) {
      return new TailClaim(watermarkHour, null, startHour, forgetBefore);
    }
  }

  /**
   * The restriction's coder (it is checkpointed with every Flink checkpoint and savepoint): a format
   * version, the hours, then each tracked hour with its object names in sorted order. Compact and
   * deterministic; no Java serialization in the job's state.
   */
  public static final class Coder extends BlockCoder<TailState> {
    private static final int FORMAT = 1;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(TailState t, Writer w) {
      w.writeVarInt(FORMAT);
      w.writeVarLong(t.startHour);
      w.writeVarLong(t.watermarkHour);
      w.writeBoolean(t.finished);
      w.writeVarInt(t.seen.size());
      for (Map.Entry<Long, HashSet<String>> e : t.seen.entrySet()) {
        w.writeVarLong(e.getKey());
        String[] keys = e.getValue().toArray(new String[0]);
        java.util.Arrays.sort(keys);
        w.writeVarInt(keys.length);
        for (String k : keys) {
          w.writeString(k);
        }
      }
    }

    @Override
    public TailState read(Reader r) throws java.io.IOException {
      int format = r.readVarInt();
      if (format != FORMAT) {
        throw new org.apache.beam.sdk.coders.CoderException(
            "tail source state has format " + format + ", this version reads " + FORMAT);
      }
      TailState t = new TailState();
      t.startHour = r.readVarLong();
      t.watermarkHour = r.readVarLong();
      t.finished = r.readBoolean();
      int hours = r.readVarInt();
      for (int i = 0; i < hours; i++) {
        long hour = r.readVarLong();
        int n = r.readVarInt();
        HashSet<String> keys = new HashSet<>(Math.max(4, n * 4 / 3 + 1));
        for (int j = 0; j < n; j++) {
          keys.add(r.readString());
        }
        t.seen.put(hour, keys);
      }
      return t;
    }
  }
}
