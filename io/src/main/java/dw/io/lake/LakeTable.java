package dw.io.lake;

import dw.transforms.privacy.ClientIpPolicy;
import java.io.Serializable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** One table of the Parquet lake: its name ({@code table=<name>}), schema and records. */
public interface LakeTable<T> extends Serializable {
  String name();

  Schema schema();

  /** The record's UTC event time: its {@code date=}/{@code hour=} partition. */
  long eventTimeMillis(T value);

  /** The record, client addresses through {@code ips} (hash; network and clear text only if enabled). */
  GenericRecord toRecord(T value, ClientIpPolicy ips);
}
