package dw.transforms.daily;

import dw.transforms.common.BlockCoder;
import dw.transforms.security.SecurityPing;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The server-days of one UTC day whose server ids hash to one shard: the unit the bounded
 * (backfill) graph moves between workers. A backfill aggregates pings into shards inside the
 * reading step (a hash aggregation, no per-ping record), and the runner then shuffles and sorts a
 * few hundred shards instead of one record per ping or per server-day; a shard holds complete
 * server-days once the shards of the same key are merged.
 *
 * <p>The key of a shard is {@link #key(int, String)}: {@code epochDay * SHARDS + shard}, so a day's
 * shards spread over the workers and {@link #epochDayOf(int)} gets the day back. Merging is
 * {@link ServerDay#merge}, associative and commutative, so the result does not depend on how the
 * pings were split into shards, bundles or workers: it is the same per-server result the streaming
 * graph's per-server combine computes.
 *
 * <p>A decoded shard keeps its bytes and decodes them only when its server-days are used: a shard
 * that a step only passes on (the runner's sort and network hops, the dead-letter branch's pruning
 * of the reading step's outputs, a combine that adopts a single input) is copied as bytes, not
 * decoded and encoded again.
 */
public final class ServerDayShard {
  /** Shards per day: enough that a day's work spreads evenly over the workers. */
  public static final int SHARDS = 512;

  /** The server-days by server id; null while the shard is still only {@link #encoded}. */
  private HashMap<String, ServerDay> days;
  /** Encoded server-days as read by the coder (never changed; shared by copies), or null. */
  private byte[] encoded;
  private int encodedCount;
  /**
   * The server-days' encoding, kept from the first {@link Coder#write} until the shard changes: the
   * runner encodes an element once per consumer of the step's output (the reading step has
   * several), and the second and later encodings copy these bytes.
   */
  private byte[] memo;

  public ServerDayShard() {
    this(new HashMap<>());
  }

  private ServerDayShard(HashMap<String, ServerDay> days) {
    this.days = days;
  }

  private ServerDayShard(byte[] encoded, int encodedCount) {
    this.encoded = encoded;
    this.encodedCount = encodedCount;
  }

  /** The server-days, decoded from {@link #encoded} on first use. */
  private HashMap<String, ServerDay> days() {
    if (days == null) {
      HashMap<String, ServerDay> m = new HashMap<>(capacity(encodedCount));
      decode(d -> m.put(d.serverId(), d));
      days = m;
      encoded = null;
    }
    return days;
  }

  /** Decodes {@link #encoded}, handing each server-day to {@code out}. */
  private void decode(java.util.function.Consumer<ServerDay> out) {
    try {
      BlockCoder.Reader r = BlockCoder.Reader.over(encoded);
      r.startDictionary();
      for (int i = 0; i < encodedCount; i++) {
        ServerDay d = ServerDayCoder.of().read(r);
        if (d.isEmpty()) {
          throw new IOException("empty server-day");
        }
        out.accept(d);
      }
      if (!r.atEnd()) {
        throw new IOException("bytes left after " + encodedCount + " server-days");
      }
    } catch (IOException e) {
      throw new IllegalStateException("corrupt server-day shard: " + e.getMessage(), e);
    }
  }

  /**
   * Hands each server-day to {@code out}, for a step that only reads them: a shard still only
   * encoded is decoded on the way, without the by-server map (and stays encoded).
   */
  public void forEachServerDay(java.util.function.Consumer<ServerDay> out) {
    if (days == null) {
      decode(out);
    } else {
      days.values().forEach(out);
    }
  }

  /** The shard key of a server's day. */
  public static int key(int epochDay, String serverId) {
    int h = serverId.hashCode() * 0x9E3779B1; // String.hashCode is the same in every JVM
    return epochDay * SHARDS + ((h >>> 16) & (SHARDS - 1));
  }

  /** The UTC day of a shard key. */
  public static int epochDayOf(int key) {
    return Math.floorDiv(key, SHARDS);
  }

  /** Adds a ping to its server's day; true when this started a new server-day. */
  public boolean add(SecurityPing p) {
    memo = null;
    HashMap<String, ServerDay> days = days();
    ServerDay d = days.get(p.serverId());
    if (d == null) {
      days.put(p.serverId(), new ServerDay().add(p));
      return true;
    }
    d.add(p);
    return false;
  }

  /**
   * Merges {@code o}'s server-days into this shard. {@code o} is left as it was (its days are
   * copied, never changed), so it may be a combine's input.
   */
  public ServerDayShard mergeFrom(ServerDayShard o) {
    memo = null;
    HashMap<String, ServerDay> days = days();
    // a partial that is still only bytes (as the shuffle hands it over) is decoded one server-day at
    // a time into new objects, which this shard may keep as they are (no map of its own, no
    // copies); a decoded one's server-days are shared, so they are copied. o stays as it was.
    boolean fresh = o.days == null;
    o.forEachServerDay(
        d -> {
          ServerDay mine = days.get(d.serverId());
          if (mine == null) {
            days.put(d.serverId(), fresh ? d : d.copy());
          } else {
            mine.merge(d);
          }
        });
    return this;
  }

  /** A copy that can be changed without changing this shard. */
  public ServerDayShard copy() {
    if (days == null) {
      return new ServerDayShard(encoded, encodedCount); // the bytes are never changed: share them
    }
    HashMap<String, ServerDay> c = new HashMap<>(capacity(days.size()));
    for (Map.Entry<String, ServerDay> e : days.entrySet()) {
      c.put(e.getKey(), e.getValue().copy());
    }
    return new ServerDayShard(c);
  }

  public Collection<ServerDay> serverDays() {
    return days().values();
  }

  public ServerDay get(String serverId) {
    return days().get(serverId);
  }

  public int size() {
    return days == null ? encodedCount : days.size();
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  private static int capacity(int n) {
    return Math.max(16, (int) (n / 0.75f) + 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerDayShard s && days().equals(s.days());
  }

  @Override
  public int hashCode() {
    return days().hashCode();
  }

  @Override
  public String toString() {
    return "ServerDayShard{" + size() + " server-days}";
  }

  /**
   * One block: the count, then each server-day ({@link ServerDayCoder}'s fields), with a string
   * dictionary: a version, OS, database, edge or geo name written earlier in the block is written as
   * a back-reference, and decoded server-days share one {@code String} for it.
   */
  public static final class Coder extends BlockCoder<ServerDayShard> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(ServerDayShard s, Writer w) {
      if (s.days == null) {
        w.writeVarInt(s.encodedCount);
        w.writeBytes(s.encoded);
        return;
      }
      w.writeVarInt(s.days.size());
      if (s.memo != null) {
        w.writeBytes(s.memo);
        return;
      }
      int start = w.position();
      w.startDictionary();
      try {
        for (ServerDay d : s.days.values()) {
          ServerDayCoder.of().write(d, w);
        }
      } finally {
        w.endDictionary();
      }
      s.memo = w.copySince(start);
    }

    /** Keeps the server-days' bytes; they are decoded when first used. */
    @Override
    public ServerDayShard read(Reader r) throws IOException {
      int n = r.readVarInt();
      if (n < 0) {
        throw new org.apache.beam.sdk.coders.CoderException("negative server-day count " + n);
      }
      byte[] rest = r.readRest();
      if (rest.length < n) {
        throw new org.apache.beam.sdk.coders.CoderException(
            n + " server-days cannot fit in " + rest.length + " bytes");
      }
      return new ServerDayShard(rest, n);
    }
  }
}
