using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using TenantAtlas.Legacy.Data;

namespace TenantAtlas.Legacy.Import;

/// <summary>Bad input to the importer (a missing file or column, a value of the wrong type): said in the product's words.</summary>
internal sealed class LegacyImportException(string message) : Exception(message);

/// <summary>Where the old system's tables come from: its database (<c>--from</c>) or one CSV file per table (<c>--csv</c>).</summary>
internal interface ILegacySource : IAsyncDisposable
{
    string Description { get; }

    /// <summary>Whether the source has <paramref name="table"/> at all (a table it lacks is reported and skipped).</summary>
    Task<bool> HasAsync(LegacyTable table, CancellationToken cancellationToken);

    /// <summary>The table's rows, one value per column of <see cref="LegacyTable.Columns"/> (null when absent), typed as the column.</summary>
    IAsyncEnumerable<object?[]> ReadAsync(LegacyTable table, CancellationToken cancellationToken);
}

/// <summary>The old database: tables of schema <c>public</c>, read with one streaming query each. Columns it lacks are null.</summary>
internal sealed class PostgresLegacySource(string connectionString) : ILegacySource
{
    private NpgsqlConnection? connection;

    public string Description => $"the old database on {new NpgsqlConnectionStringBuilder(connectionString).Host}";

    private async Task<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (connection is null)
        {
            try
            {
                connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or ArgumentException)
            {
                throw new LegacyImportException($"Could not connect to {Description}: {BuildingBlocks.Errors.SecretRedactor.Redact(e.Message)}");
            }
        }

        return connection;
    }

    public async Task<bool> HasAsync(LegacyTable table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", await ConnectionAsync(cancellationToken));
        command.Parameters.AddWithValue("name", $"public.{table.Name}");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async IAsyncEnumerable<object?[]> ReadAsync(LegacyTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var db = await ConnectionAsync(cancellationToken);
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var columns = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @table", db))
        {
            columns.Parameters.AddWithValue("table", table.Name);
            await using var reader = await columns.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }

        if (table.Columns.FirstOrDefault(c => c.Required && !present.Contains(c.Name)) is { } missing)
        {
            throw new LegacyImportException($"The old table {table.Name} has no column {missing.Name}.");
        }

        var select = string.Join(", ", table.Columns.Select(c => present.Contains(c.Name) ? $"\"{c.Name}\"" : "NULL"));
        await using var command = new NpgsqlCommand($"SELECT {select} FROM public.\"{table.Name}\" ORDER BY id", db);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            var values = new object?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = rows.IsDBNull(i) ? null : LegacyValues.Convert(rows.GetValue(i), table.Columns[i], table.Name);
            }

            yield return values;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}

/// <summary>
/// One CSV file per table, <c>DIR/NAME.csv</c>: a header row of column names (any order; columns not in the contract are
/// ignored, missing optional ones are null), RFC 4180 quoting, an empty unquoted field is null. Timestamps are UTC
/// (<c>2025-03-01 02:00:00</c>; one with an offset is converted).
/// </summary>
internal sealed class CsvLegacySource(string directory) : ILegacySource
{
    public string Description => $"the CSV files in {directory}";

    private string PathOf(LegacyTable table) => Path.Combine(directory, table.Name + ".csv");

    public Task<bool> HasAsync(LegacyTable table, CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new LegacyImportException($"There is no directory {directory}.");
        }

        return Task.FromResult(File.Exists(PathOf(table)));
    }

    public async IAsyncEnumerable<object?[]> ReadAsync(LegacyTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = PathOf(table);
        using var reader = new StreamReader(file, Encoding.UTF8);
        var records = Records(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            yield break;
        }

        var header = records.Current.Fields.Select(f => f.Value?.Trim() ?? "").ToList();
        var positions = table.Columns.Select(c => header.IndexOf(c.Name)).ToArray();
        if (table.Columns.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Required && positions[x.i] < 0) is { c: not null } missing)
        {
            throw new LegacyImportException($"{file}: the header has no column {missing.c.Name}.");
        }

        while (records.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (line, fields) = records.Current;
            if (fields.Count == 1 && string.IsNullOrEmpty(fields[0].Value))
            {
                continue; // an empty line
            }

            var values = new object?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var column = table.Columns[i];
                var text = positions[i] >= 0 && positions[i] < fields.Count ? fields[positions[i]] : (null, false);
                values[i] = text.Value is null || (text.Value.Length == 0 && !text.Quoted)
                    ? null
                    : LegacyValues.Parse(text.Value, column, $"{file}:{line}");
                if (values[i] is null && column.Required)
                {
                    throw new LegacyImportException($"{file}:{line}: {column.Name} is empty.");
                }
            }

            yield return values;
        }

        await Task.CompletedTask;
    }

    /// <summary>RFC 4180 records with the line each starts on; quoted fields may span lines.</summary>
    private static IEnumerable<(int Line, List<(string? Value, bool Quoted)> Fields)> Records(TextReader reader)
    {
        var line = 1;
        while (reader.Peek() >= 0)
        {
            var start = line;
            var fields = new List<(string?, bool)>();
            var field = new StringBuilder();
            var quoted = false;
            var inQuotes = false;
            while (true)
            {
                var c = reader.Read();
                if (c < 0)
                {
                    fields.Add((field.ToString(), quoted));
                    break;
                }

                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            field.Append('"');
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                    else
                    {
                        line += c == '\n' ? 1 : 0;
                        field.Append((char)c);
                    }
                }
                else if (c == '"' && field.Length == 0)
                {
                    inQuotes = quoted = true;
                }
                else if (c == ',')
                {
                    fields.Add((field.ToString(), quoted));
                    field.Clear();
                    quoted = false;
                }
                else if (c == '\n' || c == '\r')
                {
                    if (c == '\r' && reader.Peek() == '\n')
                    {
                        reader.Read();
                    }

                    line++;
                    fields.Add((field.ToString(), quoted));
                    break;
                }
                else
                {
                    field.Append((char)c);
                }
            }

            yield return (start, fields);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Values of the contract's column types, from the old database's (possibly narrower or wider) types or from CSV text.</summary>
internal static class LegacyValues
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd",
    ];

    public static object Convert(object value, LegacyColumn column, string table)
    {
        try
        {
            return column.Type switch
            {
                NpgsqlDbType.Bigint => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
                NpgsqlDbType.Integer => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
                NpgsqlDbType.Timestamp => value switch
                {
                    DateTime d => DateTime.SpecifyKind(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d, DateTimeKind.Unspecified),
                    DateTimeOffset o => DateTime.SpecifyKind(o.UtcDateTime, DateTimeKind.Unspecified),
                    _ => Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!, column, table),
                },
                NpgsqlDbType.Uuid => value is Guid g ? g : Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!, column, table),
                _ => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new LegacyImportException($"{table}: {column.Name} holds a value that is not a {Describe(column.Type)}.");
        }
    }

    public static object Parse(string text, LegacyColumn column, string where)
    {
        var value = text.Trim();
        switch (column.Type)
        {
            case NpgsqlDbType.Bigint when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                return l;
            case NpgsqlDbType.Integer when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i):
                return i;
            case NpgsqlDbType.Uuid when Guid.TryParse(value, out var g):
                return g;
            case NpgsqlDbType.Timestamp when DateTime.TryParseExact(value, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d):
                return DateTime.SpecifyKind(d, DateTimeKind.Unspecified);
            case NpgsqlDbType.Timestamp when DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var o):
                return DateTime.SpecifyKind(o.UtcDateTime, DateTimeKind.Unspecified);
            case NpgsqlDbType.Varchar or NpgsqlDbType.Text:
                return text;
            default:
                var shown = value.Length > 40 ? value[..40] + "…" : value;
                throw new LegacyImportException($"{where}: {column.Name} '{shown}' is not a {Describe(column.Type)}.");
        }
    }

    private static string Describe(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Bigint or NpgsqlDbType.Integer => "whole number",
        NpgsqlDbType.Timestamp => "timestamp (yyyy-MM-dd HH:mm:ss, UTC)",
        NpgsqlDbType.Uuid => "GUID",
        _ => "text",
    };
}
