namespace SparseViT.Forensics.Metadata;

/// <summary>One XMP stEvt entry (e.g. action "saved", softwareAgent "Adobe Photoshop CC 2019").</summary>
public sealed record EditHistoryEvent(string? Action, string? SoftwareAgent, string? When, string? Changed);
