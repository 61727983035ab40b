/**
 * Tables from another copy of apache-arrow. A consumer's project may hold its own copy (a linked install, two versions
 * in one tree): its tables pass `instanceof Table` (apache-arrow checks tables across copies), but their types are
 * that copy's classes, which this copy's visitors — used to build, compare and write tables — do not recognise. Such a
 * table is re-typed here, type by type from its type ids, over the same buffers: no value is copied or changed.
 */
import {
  Binary,
  Bool,
  Data,
  DataType,
  Date_,
  Decimal,
  Dictionary,
  Duration,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float,
  Int,
  Interval,
  LargeBinary,
  LargeUtf8,
  List,
  Map_,
  Null,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Time,
  Timestamp,
  Type,
  Utf8,
  Vector,
} from 'apache-arrow';

/** The properties of a type of any copy, read by name (its class is not ours). */
type Foreign = DataType & Record<string, unknown>;

/** Whether every column of a table has this copy's types (so nothing needs re-typing). */
function ours(fields: readonly Field[]): boolean {
  return fields.every((f) => f.type instanceof DataType && ours((f.type.children ?? []) as Field[]));
}

/** A field with this copy's classes. */
function adoptField(f: Field, column: string): Field {
  return new Field(f.name, adoptType(f.type as Foreign, column), f.nullable, f.metadata);
}

/** A type of any copy as this copy's class, by its type id. */
function adoptType(t: Foreign, column: string): DataType {
  const child = (k: number): Field => adoptField((t.children as Field[])[k] as Field, column);
  switch (t.typeId) {
    case Type.Null:
      return new Null();
    case Type.Int:
      return new Int(t.isSigned as boolean, t.bitWidth as 8 | 16 | 32 | 64);
    case Type.Float:
      return new Float(t.precision as number);
    case Type.Binary:
      return new Binary();
    case Type.LargeBinary:
      return new LargeBinary();
    case Type.Utf8:
      return new Utf8();
    case Type.LargeUtf8:
      return new LargeUtf8();
    case Type.Bool:
      return new Bool();
    case Type.Decimal:
      return new Decimal(t.scale as number, t.precision as number, t.bitWidth as number);
    case Type.Date:
      return new Date_(t.unit as number);
    case Type.Time:
      return new Time(t.unit as number, t.bitWidth as 32 | 64);
    case Type.Timestamp:
      return new Timestamp(t.unit as number, (t.timezone as string | null | undefined) ?? null);
    case Type.Interval:
      return new Interval(t.unit as number);
    case Type.Duration:
      return new Duration(t.unit as number);
    case Type.FixedSizeBinary:
      return new FixedSizeBinary(t.byteWidth as number);
    case Type.List:
      return new List(child(0));
    case Type.FixedSizeList:
      return new FixedSizeList(t.listSize as number, child(0));
    case Type.Struct:
      return new Struct((t.children as Field[]).map((f) => adoptField(f, column)));
    case Type.Map:
      return new Map_(child(0), t.keysSorted as boolean);
    case Type.Dictionary:
      return new Dictionary(
        adoptType(t.dictionary as Foreign, column),
        adoptType(t.indices as Foreign, column) as never,
        t.id as number,
        t.isOrdered as boolean,
      );
    default:
      throw new TypeError(
        `scoreTable: column "${column}" has an Arrow type (${String(t)}) that cannot be taken over from another copy of apache-arrow; build the table with the copy ewskit uses, or drop the column`,
      );
  }
}

/** Column data of any copy, with this copy's types, over the same buffers. */
function adoptData(d: Data, type: DataType): Data {
  const children = d.children.map((c, k) => adoptData(c, (type.children as Field[])[k]?.type ?? adoptType(c.type as Foreign, '')));
  const dictionary = d.dictionary === undefined ? undefined : new Vector(d.dictionary.data.map((x) => adoptData(x, (type as Dictionary).dictionary)));
  return new Data(type, d.offset, d.length, d.nullCount, [d.valueOffsets, d.values, d.nullBitmap, d.typeIds] as never, children, dictionary);
}

/**
 * The table itself when its types are this copy's; otherwise the same columns, over the same buffers, re-typed with
 * this copy's classes.
 *
 * @throws {TypeError} naming a column whose type cannot be taken over
 */
export function adoptTable(table: Table): Table {
  if (ours(table.schema.fields)) return table;
  const fields = table.schema.fields.map((f) => adoptField(f, f.name));
  const schema = new Schema(fields, new Map(table.schema.metadata));
  const struct = new Struct(fields);
  const batches = table.batches.map((b) => new RecordBatch(schema, adoptData(b.data, struct) as Data<Struct>));
  return batches.length > 0 ? new Table(batches) : new Table(schema);
}
