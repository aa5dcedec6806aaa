using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Errors;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Gateway;

/// <summary>The gateway: every URL comes from the contract registry; the pipeline underneath enforces it again.</summary>
internal sealed partial class GraphGateway(
    GraphContractRegistry registry,
    TenantGraphClients clients,
    GraphRequests requests,
    ConnectionVerifier verifier,
    IDataProtectionProvider dataProtection,
    ILogger<GraphGateway> logger) : IGraphGateway
{
    private const string NextLinkSuffix = "@odata.nextLink";

    public async IAsyncEnumerable<GraphGroupPage> ReadGroupsAsync(
        Guid tenantId, string? deltaLink = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var contract = registry.Require(GraphResourceKeys.Groups);
        var client = await GetClientAsync(tenantId, contract.Key, cancellationToken);
        var select = "$select=" + string.Join(',', contract.ListSelect!);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (deltaLink is null)
        {
            // The delta link first, then the full listing (pages of 999 instead of delta's 100): a change made during the
            // listing is reported again by the next delta read (upserts are idempotent), never lost.
            var latest = await GraphRequests.GetAsync(client, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/delta?{select}&$deltatoken=latest"), contract.Key, cancellationToken);
            var newDeltaLink = latest["@odata.deltaLink"]?.GetValue<string>()
                ?? throw new GraphRequestException(GraphFailureKind.Unknown, "noDeltaLink", "Graph answered $deltatoken=latest without a deltaLink.") { TenantId = tenantId, ResourceKey = contract.Key };
            Uri? url = client.Url(contract.ApiVersion, $"{contract.CollectionPath}?{select}&$top={contract.ListPageSize}");
            while (url is not null)
            {
                var page = await GraphRequests.GetAsync(client, url, contract.Key, cancellationToken);
                url = GraphRequests.NextLink(client, page, seen, contract.Key);
                yield return new GraphGroupPage(Values(page).Select(Group).ToList(), [], IsFullSync: true, url is null ? newDeltaLink : null);
            }

            logger.LogInformation("Read all groups of tenant {TenantId}", tenantId);
            yield break;
        }

        Uri? next = StoredDeltaLink(client, deltaLink, contract);
        while (next is not null)
        {
            var page = await GraphRequests.GetAsync(client, next, contract.Key, cancellationToken);
            next = GraphRequests.NextLink(client, page, seen, contract.Key);
            string? link = null;
            if (next is null)
            {
                link = page["@odata.deltaLink"]?.GetValue<string>()
                    ?? throw new GraphRequestException(GraphFailureKind.Unknown, "noDeltaLink", "The last delta page carried no deltaLink.") { TenantId = tenantId, ResourceKey = contract.Key };
            }

            var values = Values(page).ToList();
            var removed = values.Where(v => v["@removed"] is not null)
                .Select(v => new GraphRemovedGroup(Str(v["id"]) ?? "", Str(v["@removed"]?["reason"]) ?? "deleted"))
                .ToList();
            var groups = values.Where(v => v["@removed"] is null).Select(Group).ToList();
            yield return new GraphGroupPage(groups, removed, IsFullSync: false, link);
        }
    }

    public async Task<IReadOnlyList<GraphRoleDefinition>> ListRoleDefinitionsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var contract = registry.Require(GraphResourceKeys.RoleDefinitions);
        var result = new List<GraphRoleDefinition>();
        await foreach (var page in ListAsync(tenantId, contract, cancellationToken))
        {
            result.AddRange(page.Items.Select(i => new GraphRoleDefinition(
                i.Id,
                i.DisplayName,
                Str(i.Raw["description"]),
                Bool(i.Raw["isBuiltIn"]) ?? Bool(i.Raw["isBuiltInRoleDefinition"]) ?? false,
                i.ODataType,
                i.Raw)));
        }

        return result;
    }

    public IAsyncEnumerable<GraphObjectPage> ListObjectsAsync(Guid tenantId, string resourceKey, CancellationToken cancellationToken = default)
    {
        var contract = registry.Require(resourceKey, GraphResourceKind.PolicyFamily, GraphResourceKind.Dependency);
        return ListAsync(tenantId, contract, cancellationToken);
    }

    public async Task<GraphPolicyDetail> GetPolicyAsync(Guid tenantId, string resourceKey, string policyId, CancellationToken cancellationToken = default)
    {
        var contract = registry.Require(resourceKey, GraphResourceKind.PolicyFamily);
        var id = ObjectId(policyId, contract.Key);
        var client = await GetClientAsync(tenantId, contract.Key, cancellationToken);
        var expand = contract.GetExpand is null ? "" : "?$expand=" + contract.GetExpand;
        var json = await GraphRequests.GetAsync(client, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}{expand}"), contract.Key, cancellationToken);
        await CompleteExpandedAsync(client, contract, json, cancellationToken);
        if (contract.SelectOnlyProperties.Count > 0)
        {
            // Graph answers these (branding's images) only when named in $select: one more read for them.
            var selected = await GraphRequests.GetAsync(
                client, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}?$select={string.Join(',', contract.SelectOnlyProperties)}"), contract.Key, cancellationToken);
            foreach (var name in contract.SelectOnlyProperties)
            {
                json[name] = selected[name]?.DeepClone();
            }
        }

        await ReadSeparatelyAsync(client, contract, id, json, cancellationToken);

        var assignments = (json["assignments"] as JsonArray ?? []).OfType<JsonObject>().Select(a => Clean((JsonObject)a.DeepClone())).ToList();
        var content = Clean((JsonObject)json.DeepClone());
        content.Remove("assignments");
        if (contract.Key == GraphResourceKeys.GroupPolicyConfigurations)
        {
            content["definitionValues"] = await ReadDefinitionValuesAsync(client, contract, id, cancellationToken);
        }

        if (contract.DriverApprovalAction is not null)
        {
            content[GraphResourceContract.DriverInventoriesProperty] = new JsonArray(
                [.. (await ReadDriverInventoryAsync(client, contract, id, cancellationToken)).Select(d => (JsonNode)d)]);
        }

        var protectedValues = await ProtectEncryptedOmaValuesAsync(client, contract, id, content, cancellationToken);
        return new GraphPolicyDetail(contract.Key, Str(json["id"]) ?? policyId, DisplayName(json, contract), Str(json["@odata.type"]), content, assignments)
        {
            ProtectedValues = protectedValues,
        };
    }

    public async Task<JsonObject> CreateObjectAsync(
        Guid tenantId, string resourceKey, JsonObject content, IReadOnlyList<GraphProtectedValue>? protectedValues = null, ICollection<string>? notes = null,
        CancellationToken cancellationToken = default)
    {
        var contract = registry.Require(resourceKey, GraphResourceKind.PolicyFamily, GraphResourceKind.Dependency);
        if (contract.CreateMethod is null)
        {
            throw NotWritable(contract, "create");
        }

        var body = GraphContractRegistry.PrepareForWrite(contract, WithProtectedValues(content, protectedValues, contract.Key), forUpdate: false);
        var client = await GetClientAsync(tenantId, contract.Key, cancellationToken);
        var created = contract.TemplateInstance is { } template
            ? await CreateFromTemplateAsync(client, contract, template, content, cancellationToken)
            : await GraphRequests.SendAsync(client, Enum.Parse<Method>(contract.CreateMethod), client.Url(contract.ApiVersion, contract.CollectionPath), body, null, contract.Key, cancellationToken);
        logger.LogInformation("Created a {ResourceKey} object in tenant {TenantId}", contract.Key, tenantId);
        var result = created is null ? [] : Clean(created);
        if (Str(result["id"]) is { } createdId)
        {
            var id = ObjectId(createdId, contract.Key);
            await TargetAppsAsync(client, contract, id, content, cancellationToken);
            await WriteChildCollectionsAsync(client, contract, id, content, isNew: true, cancellationToken);
            if (WritesDefinitionValues(contract, content, out var desired))
            {
                await WriteDefinitionValuesAsync(client, contract, id, desired, isNew: true, cancellationToken);
            }

            await ApproveDriversAsync(client, contract, id, content, notes, cancellationToken);
        }

        return result;
    }

    public async Task UpdateObjectAsync(
        Guid tenantId, string resourceKey, string objectId, JsonObject content, IReadOnlyList<GraphProtectedValue>? protectedValues = null, ICollection<string>? notes = null,
        CancellationToken cancellationToken = default)
    {
        var contract = registry.Require(resourceKey, GraphResourceKind.PolicyFamily, GraphResourceKind.Dependency);
        if (contract.UpdateMethod is null)
        {
            throw NotWritable(contract, "update");
        }

        var id = ObjectId(objectId, contract.Key);
        var body = GraphContractRegistry.PrepareForWrite(contract, WithProtectedValues(content, protectedValues, contract.Key), forUpdate: true);
        var client = await GetClientAsync(tenantId, contract.Key, cancellationToken);
        await GraphRequests.SendAsync(client, Enum.Parse<Method>(contract.UpdateMethod), client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}"), body, null, contract.Key, cancellationToken);
        await TargetAppsAsync(client, contract, id, content, cancellationToken);
        if (contract.TemplateInstance is { } template)
        {
            await UpdateTemplateSettingsAsync(client, contract, template, id, content, cancellationToken);
        }

        await WriteChildCollectionsAsync(client, contract, id, content, isNew: false, cancellationToken);
        logger.LogInformation("Updated {ResourceKey} object {ObjectId} in tenant {TenantId}", contract.Key, objectId, tenantId);
        if (WritesDefinitionValues(contract, content, out var desired))
        {
            await WriteDefinitionValuesAsync(client, contract, id, desired, isNew: false, cancellationToken);
        }

        await SetScheduledActionsAsync(client, contract, id, content, cancellationToken);
        await ApproveDriversAsync(client, contract, id, content, notes, cancellationToken);
    }

    /// <summary>
    /// Settings-catalog compliance: the update's PUT cannot carry the actions for noncompliance, so they go with
    /// setScheduledActions (replacing the target's set), each rule with its actions, without the source tenant's ids.
    /// Content without them (not read with them) writes none.
    /// </summary>
    private static async Task SetScheduledActionsAsync(TenantGraphClient client, GraphResourceContract contract, string id, JsonObject content, CancellationToken cancellationToken)
    {
        if (contract.ScheduledActionsAction is null || content["scheduledActionsForRule"] is not JsonArray rules)
        {
            return;
        }

        var body = new JsonObject
        {
            ["scheduledActions"] = new JsonArray([.. rules.OfType<JsonObject>().Select(r =>
            {
                var rule = WithoutAnnotations((JsonObject)r.DeepClone());
                rule.Remove("id");
                if (rule["scheduledActionConfigurations"] is JsonArray actions)
                {
                    rule["scheduledActionConfigurations"] = new JsonArray([.. actions.OfType<JsonObject>().Select(a =>
                    {
                        var action = WithoutAnnotations((JsonObject)a.DeepClone());
                        action.Remove("id");
                        return (JsonNode)action;
                    })]);
                }

                return (JsonNode)rule;
            })]),
        };
        await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{contract.ScheduledActionsAction}"), body, null, contract.Key, cancellationToken);
    }

    /// <summary>
    /// App protection and MAM app configuration: the targeted apps, which Graph takes only through the targetApps action
    /// (the create/update body leaves them out). Each app goes as backed up, without the source tenant's id: the app
    /// identifier (bundle id, package id) names it in every tenant. Content without apps (not read with them) writes none.
    /// </summary>
    private static async Task TargetAppsAsync(TenantGraphClient client, GraphResourceContract contract, string id, JsonObject content, CancellationToken cancellationToken)
    {
        if (contract.TargetAppsAction is null || content[GraphResourceContract.AppsProperty] is not JsonArray apps)
        {
            return;
        }

        var body = new JsonObject
        {
            [GraphResourceContract.AppsProperty] = new JsonArray([.. apps.OfType<JsonObject>().Select(a =>
            {
                var app = WithoutAnnotations((JsonObject)a.DeepClone());
                app.Remove("id");
                return (JsonNode)app;
            })]),
        };
        await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{contract.TargetAppsAction}"), body, null, contract.Key, cancellationToken);
    }

    public async Task AssignAsync(Guid tenantId, string resourceKey, string objectId, IReadOnlyList<JsonObject> assignments, CancellationToken cancellationToken = default)
    {
        var contract = registry.Require(resourceKey, GraphResourceKind.PolicyFamily);
        if (contract.AssignsOneByOne)
        {
            var oneByOneClient = await GetClientAsync(tenantId, contract.Key, cancellationToken);
            await AssignOneByOneAsync(oneByOneClient, contract, ObjectId(objectId, contract.Key), assignments, cancellationToken);
            return;
        }

        if (contract.AssignAction is null)
        {
            throw NotWritable(contract, "assign");
        }

        var id = ObjectId(objectId, contract.Key);
        var body = new JsonObject
        {
            [contract.AssignBodyProperty] = new JsonArray([.. assignments.Select(a => (JsonNode)WithoutAnnotations((JsonObject)a.DeepClone()))]),
        };
        var client = await GetClientAsync(tenantId, contract.Key, cancellationToken);
        await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{contract.AssignAction}"), body, null, contract.Key, cancellationToken);
        logger.LogInformation("Assigned {ResourceKey} object {ObjectId} in tenant {TenantId} ({Count} assignments)", contract.Key, objectId, tenantId, assignments.Count);
    }

    public async Task<bool> DeleteObjectAsync(Guid tenantId, string resourceKey, string objectId, CancellationToken cancellationToken = default)
    {
        var contract = registry.Require(resourceKey, GraphResourceKind.PolicyFamily, GraphResourceKind.Dependency);
        if (contract.CreateMethod is null)
        {
            throw NotWritable(contract, "delete");
        }

        var id = ObjectId(objectId, contract.Key);
        var client = await GetClientAsync(tenantId, contract.Key, cancellationToken);
        try
        {
            await GraphRequests.SendAsync(client, Method.DELETE, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}"), null, null, contract.Key, cancellationToken);
        }
        catch (GraphRequestException e) when (e.HttpStatus == 404)
        {
            return false;
        }

        logger.LogInformation("Deleted {ResourceKey} object {ObjectId} in tenant {TenantId}", contract.Key, objectId, tenantId);
        return true;
    }

    public Task<ConnectionVerification> VerifyConnectionAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        verifier.VerifyAsync(tenantId, cancellationToken);

    private async IAsyncEnumerable<GraphObjectPage> ListAsync(
        Guid tenantId, GraphResourceContract contract, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = await GetClientAsync(tenantId, contract.Key, cancellationToken);
        var query = new List<string>();
        if (contract.ListSelect is { } select)
        {
            query.Add("$select=" + string.Join(',', select));
        }

        if (contract.ListExpand is { } expand)
        {
            query.Add("$expand=" + expand);
        }

        if (contract.ListFilter is { } filter)
        {
            query.Add("$filter=" + Uri.EscapeDataString(filter));
        }

        if (contract.ListPageSize is { } top)
        {
            query.Add("$top=" + top);
        }

        Uri? url = client.Url(contract.ApiVersion, contract.CollectionPath + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        while (url is not null)
        {
            // One page in memory at a time: the next one is requested only when the caller asks for it.
            var page = await GraphRequests.GetAsync(client, url, contract.Key, cancellationToken);
            url = GraphRequests.NextLink(client, page, seen, contract.Key);
            foreach (var value in Values(page))
            {
                await CompleteExpandedAsync(client, contract, value, cancellationToken);
            }

            var items = Values(page).Select(v => Summary(v, contract)).ToList();
            yield return new GraphObjectPage(contract.Key, ++number, items);
        }
    }

    /// <summary>
    /// Administrative templates: the definition values with their definitions in one (paged) call, then each value's
    /// presentation values — one call per value on its own, so they go in <c>$batch</c>es of 20.
    /// </summary>
    private async Task<JsonArray> ReadDefinitionValuesAsync(TenantGraphClient client, GraphResourceContract contract, string policyId, CancellationToken cancellationToken)
    {
        var values = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Uri? url = client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{policyId}/definitionValues?$expand=definition");
        while (url is not null)
        {
            var page = await GraphRequests.GetAsync(client, url, contract.Key, cancellationToken);
            values.AddRange(Values(page).Select(v => Clean((JsonObject)v.DeepClone())));
            url = GraphRequests.NextLink(client, page, seen, contract.Key);
        }

        var items = values
            .Select((v, i) => new BatchItemRequest(
                (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "GET",
                $"/{contract.CollectionPath}/{policyId}/definitionValues/{ObjectId(Str(v["id"]) ?? "", contract.Key)}/presentationValues?$expand=presentation"))
            .ToList();
        if (items.Count > 0)
        {
            var answers = await requests.BatchAsync(client, contract.ApiVersion, items, contract.Key, cancellationToken);
            for (var i = 0; i < values.Count; i++)
            {
                var answer = answers.GetValueOrDefault(items[i].Id);
                if (answer is null || !answer.IsSuccess)
                {
                    throw answer is null
                        ? new GraphRequestException(GraphFailureKind.Unknown, "batchItemMissing", "A $batch response lacked an item.") { TenantId = client.TenantId, ResourceKey = contract.Key }
                        : GraphErrorMapper.FromBatchItem(answer.Status, answer.Body, answer.Headers, client.TenantId, contract.Key);
                }

                values[i]["presentationValues"] = new JsonArray([.. Values(answer.Body ?? []).Select(p => (JsonNode)Clean((JsonObject)p.DeepClone()))]);
            }
        }

        return new JsonArray([.. values.Select(v => (JsonNode)v)]);
    }

    /// <summary>
    /// Graph pages a large expanded collection inside the item ("settings@odata.nextLink", "assignments@odata.nextLink"):
    /// follow each such link verbatim until the collection is complete, so nothing is ever dropped.
    /// </summary>
    private static async Task CompleteExpandedAsync(TenantGraphClient client, GraphResourceContract contract, JsonObject item, CancellationToken cancellationToken)
    {
        foreach (var annotation in item.Select(p => p.Key).Where(k => k.Length > NextLinkSuffix.Length && k.EndsWith(NextLinkSuffix, StringComparison.Ordinal)).ToList())
        {
            var property = annotation[..^NextLinkSuffix.Length];
            if (item[property] is not JsonArray collection)
            {
                collection = [];
                item[property] = collection;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var url = GraphRequests.NextLink(client, item, seen, contract.Key, annotation);
            while (url is not null)
            {
                var page = await GraphRequests.GetAsync(client, url, contract.Key, cancellationToken);
                foreach (var value in Values(page))
                {
                    collection.Add(value.DeepClone());
                }

                url = GraphRequests.NextLink(client, page, seen, contract.Key);
            }

            item.Remove(annotation);
        }
    }

    /// <summary>
    /// Custom profiles' encrypted OMA-URI values: each one's clear text comes from <c>getOmaSettingPlainTextValue</c> and
    /// is protected at once. The content keeps what Graph served there (Intune's encrypted blob), never the clear text.
    /// </summary>
    private async Task<IReadOnlyList<GraphProtectedValue>> ProtectEncryptedOmaValuesAsync(
        TenantGraphClient client, GraphResourceContract contract, string policyId, JsonObject content, CancellationToken cancellationToken)
    {
        if (!contract.ReadNavigations.Contains(GraphContractRegistry.OmaPlainTextFunction) || content["omaSettings"] is not JsonArray settings)
        {
            return [];
        }

        var protector = dataProtection.CreateProtector(GraphSecretProtection.Purpose);
        var result = new List<GraphProtectedValue>();
        for (var i = 0; i < settings.Count; i++)
        {
            if (settings[i] is not JsonObject setting || Bool(setting["isEncrypted"]) != true || Str(setting["secretReferenceValueId"]) is not { Length: > 0 } reference)
            {
                continue;
            }

            if (!reference.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                throw new GraphRequestException(GraphFailureKind.Unknown, "invalidSecretReference", "Graph returned a secretReferenceValueId that is not an id.")
                {
                    TenantId = client.TenantId,
                    ResourceKey = contract.Key,
                };
            }

            var function = GraphContractRegistry.OmaPlainTextFunction.Replace("{key}", reference, StringComparison.Ordinal);
            var answer = await GraphRequests.GetAsync(client, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{policyId}/{function}"), contract.Key, cancellationToken);
            var plain = Str(answer["value"]) ?? throw new GraphRequestException(
                GraphFailureKind.Unknown, "emptyResponse", "Graph answered getOmaSettingPlainTextValue without a value.") { TenantId = client.TenantId, ResourceKey = contract.Key };
            result.Add(new GraphProtectedValue($"/omaSettings/{i}/value", protector.Protect(plain)));
        }

        return result;
    }

    /// <summary>
    /// Backed-up content with each protected value unprotected into its place, as a write sends it: Intune encrypts a
    /// value it receives in clear, so the OMA setting goes as not encrypted, without the old tenant's secret reference.
    /// </summary>
    private JsonObject WithProtectedValues(JsonObject content, IReadOnlyList<GraphProtectedValue>? protectedValues, string resourceKey)
    {
        var body = (JsonObject)content.DeepClone();
        if (protectedValues is not { Count: > 0 })
        {
            return body;
        }

        var protector = dataProtection.CreateProtector(GraphSecretProtection.Purpose);
        foreach (var value in protectedValues)
        {
            var parts = value.Path.Split('/');
            if (parts is not ["", "omaSettings", var indexText, "value"]
                || !int.TryParse(indexText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                || body["omaSettings"] is not JsonArray settings || index >= settings.Count || settings[index] is not JsonObject setting)
            {
                throw new GraphRequestException(GraphFailureKind.BadRequest, "protectedValueMisplaced", $"A protected value points at {value.Path}, which the content does not have.")
                {
                    ResourceKey = resourceKey,
                };
            }

            try
            {
                setting["value"] = protector.Unprotect(value.ProtectedValue);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new GraphRequestException(
                    GraphFailureKind.TenantNotConfigured, "secretUnreadable",
                    "A protected policy value cannot be decrypted (are the Data Protection keys shared between processes?).", innerException: e)
                {
                    ResourceKey = resourceKey,
                };
            }

            setting["isEncrypted"] = false;
            setting.Remove("secretReferenceValueId");
        }

        return body;
    }

    private static GraphRequestException NotWritable(GraphResourceContract contract, string what) =>
        new(GraphFailureKind.NotInRegistry, "notInRegistry", $"The Graph contract registry has no {what} for '{contract.Key}'; nothing was sent.")
        {
            ResourceKey = contract.Key,
        };

    private static JsonObject WithoutAnnotations(JsonObject json)
    {
        foreach (var name in json.Select(p => p.Key).Where(n => n.Contains('@', StringComparison.Ordinal) && n != "@odata.type").ToList())
        {
            json.Remove(name);
        }

        return json;
    }

    private async Task<TenantGraphClient> GetClientAsync(Guid tenantId, string resourceKey, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.GetAsync(tenantId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw GraphErrorMapper.Map(e, tenantId, resourceKey);
        }
    }

    /// <summary>A stored delta link must be this tenant's groups delta endpoint; anything else (e.g. the tenant moved to another Graph root) needs a full read.</summary>
    private Uri StoredDeltaLink(TenantGraphClient client, string deltaLink, GraphResourceContract contract)
    {
        if (Uri.TryCreate(deltaLink, UriKind.Absolute, out var url)
            && Pipeline.GraphUrls.RelativeToRoot(client.GraphRoot, url) is { } relative
            && registry.Match("GET", relative) is { Resource: { } resource, Operation.Kind: GraphOperationKind.Delta }
            && resource.Key == contract.Key)
        {
            return url;
        }

        throw new GraphDeltaExpiredException("deltaLinkNotUsable", "The stored delta link does not belong to this tenant's Graph endpoint; read all groups again.")
        {
            TenantId = client.TenantId,
            ResourceKey = contract.Key,
        };
    }

    private static string ObjectId(string id, string resourceKey)
    {
        if (string.IsNullOrWhiteSpace(id) || id.IndexOfAny(['/', '?', '#', '\\', '(', ')', '\'']) >= 0 || id.Contains("..", StringComparison.Ordinal) || id.Length > 200)
        {
            throw new GraphRequestException(GraphFailureKind.BadRequest, "invalidId", "Not a valid Graph object id.") { ResourceKey = resourceKey };
        }

        return Uri.EscapeDataString(id);
    }

    private static IEnumerable<JsonObject> Values(JsonObject page) => (page["value"] as JsonArray ?? []).OfType<JsonObject>();

    private static GraphGroup Group(JsonObject json) =>
        new(
            Str(json["id"]) ?? "",
            Str(json["displayName"]),
            (json["groupTypes"] as JsonArray ?? []).Select(Str).OfType<string>().ToList(),
            Bool(json["securityEnabled"]),
            Bool(json["mailEnabled"]))
        {
            Description = Str(json["description"]),
            Mail = Str(json["mail"]),
        };

    private static GraphObjectSummary Summary(JsonObject json, GraphResourceContract contract) =>
        new(
            contract.Key,
            Str(json["id"]) ?? "",
            DisplayName(json, contract),
            Str(json["@odata.type"]),
            // Entra's Conditional Access objects say modifiedDateTime, null until their first change.
            (Str(json["lastModifiedDateTime"]) ?? Str(json["modifiedDateTime"]) ?? Str(json["createdDateTime"])) is { } modified && DateTimeOffset.TryParse(modified, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            (JsonObject)json.DeepClone());

    private static string DisplayName(JsonObject json, GraphResourceContract contract) =>
        Str(json[contract.DisplayNameProperty]) ?? Str(json["displayName"]) ?? Str(json["name"]) ?? Str(json["id"]) ?? "";

    /// <summary>Drops OData annotations except <c>@odata.type</c> (contexts, nextLinks of expanded collections), recursively.</summary>
    private static JsonObject Clean(JsonObject json)
    {
        foreach (var name in json.Select(p => p.Key).ToList())
        {
            if (name.Contains("@odata.", StringComparison.Ordinal) && name != "@odata.type")
            {
                json.Remove(name);
            }
        }

        foreach (var (_, value) in json)
        {
            switch (value)
            {
                case JsonObject nested:
                    Clean(nested);
                    break;
                case JsonArray array:
                    foreach (var item in array.OfType<JsonObject>())
                    {
                        Clean(item);
                    }

                    break;
                default:
                    break;
            }
        }

        return json;
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static bool? Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) ? b : null;
}
