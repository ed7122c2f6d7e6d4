namespace MovaCluster.Media.Variants;

/// <summary>A spritesheet grid: <paramref name="Columns"/> x <paramref name="Rows"/> tiles, each <paramref name="TileWidth"/> wide.</summary>
/// <param name="Columns">Tiles per row.</param>
/// <param name="Rows">Rows of tiles.</param>
/// <param name="TileWidth">Tile width in pixels; the height keeps the clip's aspect ratio.</param>
public sealed record SpritesheetLayout(int Columns = 5, int Rows = 5, int TileWidth = 160)
{
    /// <summary>Number of tiles, i.e. frames shown.</summary>
    public int TileCount => Columns * Rows;

    /// <summary>Throws an <see cref="ArgumentException"/> when the grid is empty or absurdly large.</summary>
    public void Validate()
    {
        if (Columns is < 1 or > 32 || Rows is < 1 or > 32)
        {
            throw new ArgumentException($"A spritesheet needs 1..32 columns and rows (was {Columns}x{Rows}).");
        }

        if (TileWidth is < 8 or > 1920)
        {
            throw new ArgumentException($"Tile width {TileWidth} must be between 8 and 1920 pixels.");
        }
    }
}
