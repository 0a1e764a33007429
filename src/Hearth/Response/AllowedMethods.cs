using Hearth.Errors;
using Hearth.Request;
using Hearth.Schema;
using Microsoft.AspNetCore.Http;

namespace Hearth.Response;

/// <summary>OPTIONS: the Allow header for a table, a view or a function, as PostgREST answers it.</summary>
public static class AllowedMethods
{
    public static ApiResponse For(RequestTarget target, SchemaModel model)
    {
        string allow;
        if (target.Kind == TargetKind.Routine)
        {
            var routines = model.FindRoutines(target.Schema, target.Resource).ToList();
            if (routines.Count == 0) throw ApiErrors.TableNotFound(target.Schema, "rpc/" + target.Resource);
            allow = routines.All(r => r.Volatility == Volatility.Volatile) ? "OPTIONS,POST" : "OPTIONS,GET,HEAD,POST";
        }
        else if (target.Kind == TargetKind.Relation && model.FindRelation(target.Schema, target.Resource) is { } relation)
            allow = "OPTIONS,GET,HEAD" + (relation.CanInsert ? ",POST" : "") + (relation.CanInsert && relation.CanUpdate ? ",PUT" : "") +
                    (relation.CanUpdate ? ",PATCH" : "") + (relation.CanDelete ? ",DELETE" : "");
        else
            throw ApiErrors.TableNotFound(model, target.Schema, target.Resource);
        return new ApiResponse(StatusCodes.Status200OK, new ApiResponse.HeaderList().Add("Allow", allow).ToList(), null);
    }
}
