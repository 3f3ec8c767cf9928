using System.Data;
using System.Globalization;
using Dapper;
using Npgsql;

namespace Pulse.Storage.Postgres;

/// <summary>
/// Dapper's type handlers are process-wide, and SQLite's (text timestamps, 0/1 booleans) may be
/// registered in the same process: these give the same answers for SQLite parameters and pass
/// PostgreSQL ones through, so whichever registration wins serves both backends.
/// </summary>
internal static class PgTypeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new BoolHandler());
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) =>
            parameter.Value = parameter is NpgsqlParameter ? value.ToUniversalTime()
                : value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d,
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        };
    }

    private sealed class BoolHandler : SqlMapper.TypeHandler<bool>
    {
        public override void SetValue(IDbDataParameter parameter, bool value) => parameter.Value = parameter is NpgsqlParameter ? value : (value ? 1 : 0);

        public override bool Parse(object value) => value is bool b ? b : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0;
    }
}
