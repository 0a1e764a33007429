using System.Text;
using Hearth.Plan;

namespace Hearth.Sql;

/// <summary>Turns a <see cref="ReadPlan"/> into one statement whose single value is the JSON body.</summary>
public static class ReadSql
{
    public static SqlStatement Build(ReadPlan plan)
    {
        var sb = new StringBuilder();
        sb.Append("select coalesce(json_agg(_hearth_r), '[]')::text from (select * from ")
          .Append(SqlText.Qualified(plan.Relation.Schema, plan.Relation.Name))
          .Append(") _hearth_r");
        return new SqlStatement(sb.ToString(), []);
    }
}
