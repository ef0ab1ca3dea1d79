namespace Ruum.Identity.Features.Shared;

/// <summary>
/// The resource of the messages page models show (data-annotation errors, model-state errors, notices), shared
/// because several pages say the same thing: Features/Shared/FormMessages.es.resx. English text is the key.
/// </summary>
public sealed class FormMessages;
