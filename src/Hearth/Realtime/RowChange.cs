namespace Hearth.Realtime;

/// <summary>A published table as the replication stream last described it.</summary>
public sealed record RelationInfo(uint Id, string Schema, string Table, IReadOnlyList<RelationColumn> Columns, bool ReplicaIdentityFull);

public sealed record RelationColumn(string Name, uint TypeOid, bool IsKey);

/// <summary>
/// One row change of a committed transaction, values in PostgreSQL's text form (null = SQL NULL).
/// <see cref="Unchanged"/> marks TOASTed values an UPDATE did not touch (the stream does not carry them).
/// <see cref="Old"/> is the old row under replica identity full, the key otherwise, null when not sent.
/// </summary>
public sealed record RowChange(RelationInfo Relation, string Kind, string?[]? New, bool[]? Unchanged, string?[]? Old, bool OldIsFull);
