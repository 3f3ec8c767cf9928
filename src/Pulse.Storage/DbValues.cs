using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using Dapper;

namespace Pulse.Storage;

/// <summary>
/// Dapper's type handlers for timestamps and booleans, shared by both backends. They are process-wide and both backends may
/// share a process, so each backend registers how its own parameter type takes a timestamp (SQLite: UTC ISO-8601 text, whose
/// text order is time order; PostgreSQL: a UTC timestamptz); reads take what either driver hands back.
/// </summary>
public static class DbValues
{
    private static readonly ConcurrentDictionary<Type, Func<DateTimeOffset, object>> Times = new();
    private static int _installed;

    public static void Register(Type parameterType, Func<DateTimeOffset, object> toDatabase)
    {
        Times[parameterType] = toDatabase;
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        // Dapper's own mapping of DateTimeOffset parameters comes before any handler: without it the handler only reads.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(typeof(DateTimeOffset), new TimeHandler());
        SqlMapper.AddTypeHandler(new BoolHandler());
    }

    /// <summary>A timestamp as UTC ISO-8601 text with seven decimals.</summary>
    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(object value) => value switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
    };

    public static DateTimeOffset? TimeOrNull(object? value) => value is null or DBNull ? null : Time(value);

    /// <summary>A NULL keeps its type (PostgreSQL cannot tell the type of a parameter used only in "@p IS NULL").</summary>
    private sealed class TimeHandler : SqlMapper.ITypeHandler
    {
        public void SetValue(IDbDataParameter parameter, object value)
        {
            if (value is DateTimeOffset time)
            {
                parameter.Value = Times.TryGetValue(parameter.GetType(), out var convert) ? convert(time) : time;
                return;
            }
            parameter.Value = DBNull.Value;
            parameter.DbType = DbType.DateTimeOffset;
        }

        public object Parse(Type destinationType, object value) => Time(value);
    }

    private sealed class BoolHandler : SqlMapper.TypeHandler<bool>
    {
        public override void SetValue(IDbDataParameter parameter, bool value) => parameter.Value = value;

        public override bool Parse(object value) => value is bool b ? b : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0;
    }
}
