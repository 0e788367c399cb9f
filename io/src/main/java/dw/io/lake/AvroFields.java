package dw.io.lake;

import dw.transforms.common.RecordField;
import dw.transforms.privacy.ClientIpPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The Avro schema and records of a record type's field table ({@link RecordField}): one Avro field
 * per table field, in its order, nullable ones as {@code ["null", type]} with default null.
 */
public final class AvroFields {
  private AvroFields() {}

  /** The record schema {@code namespace.name} of {@code fields} ({@code doc} may be null). */
  public static Schema schema(String name, String namespace, String doc, List<? extends RecordField<?>> fields) {
    List<Schema.Field> out = new ArrayList<>(fields.size());
    for (RecordField<?> f : fields) {
      Schema type = type(f.type());
      out.add(
          f.nullable()
              ? new Schema.Field(f.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), type), f.doc(), JsonProperties.NULL_VALUE)
              : new Schema.Field(f.name(), type, f.doc()));
    }
    return Schema.createRecord(name, doc, namespace, false, out);
  }

  private static Schema type(RecordField.Type t) {
    return switch (t) {
      case TIMESTAMP_MILLIS -> LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
      case TIMESTAMP_MICROS -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
      case STRING -> Schema.create(Schema.Type.STRING);
      case INT -> Schema.create(Schema.Type.INT);
      case LONG -> Schema.create(Schema.Type.LONG);
      case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
      case STRING_LIST -> Schema.createArray(Schema.create(Schema.Type.STRING));
    };
  }

  /** The record of {@code value}: each field as a sink may store it under {@code ips}. */
  public static <T> GenericRecord record(
      Schema schema, List<? extends RecordField<T>> fields, T value, ClientIpPolicy ips) {
    GenericData.Record r = new GenericData.Record(schema);
    for (int i = 0; i < fields.size(); i++) {
      r.put(i, fields.get(i).stored(value, ips));
    }
    return r;
  }
}
