namespace SparseViT.Forensics.Metadata;

public sealed record GpsPosition(double Latitude, double Longitude, double? AltitudeMeters, DateTime? TimestampUtc);
