using System.Globalization;
using System.Text;

namespace TenantAtlas.GraphEmulator.Seeding;

/// <summary>A seeded random source with the helpers the generators need; same seed, same sequence.</summary>
internal sealed class SeedRandom
{
    private readonly Random random;

    public SeedRandom(int seed, string stream)
    {
        random = new Random(Mix(seed, stream));
    }

    public int Next(int maxExclusive) => random.Next(maxExclusive);

    public int Between(int minInclusive, int maxInclusive) => random.Next(minInclusive, maxInclusive + 1);

    public bool Chance(double probability) => random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public string Guid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    public DateTimeOffset Before(DateTimeOffset anchor, int maxDays) =>
        anchor.AddSeconds(-random.Next(1, maxDays * 86_400)).AddTicks(-random.Next(0, 10_000_000));

    public uint UInt() => (uint)random.NextInt64(0, uint.MaxValue);

    /// <summary>A stable hash (FNV-1a) of the seed and a stream name; string.GetHashCode is randomized per process.</summary>
    public static int Mix(int seed, string stream)
    {
        unchecked
        {
            var hash = 2166136261u ^ (uint)seed;
            foreach (var b in Encoding.UTF8.GetBytes(stream))
            {
                hash = (hash ^ b) * 16777619u;
            }

            return (int)(hash & 0x7FFFFFFF);
        }
    }

    /// <summary>Intune's timestamp format: seven fractional digits and Z.</summary>
    public static string IntuneTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The directory's timestamp format: whole seconds and Z.</summary>
    public static string DirectoryTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
