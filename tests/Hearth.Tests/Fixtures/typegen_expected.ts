export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  // postgrest-js reads this: createClient<Database>(url, key) then knows the server's PostgREST version
  __InternalSupabase: {
    PostgrestVersion: "14"
  }
  public: {
    Tables: {
      lists: {
        Row: {
          id: number
          name: string
        }
        Insert: {
          id?: never
          name: string
        }
        Update: {
          id?: never
          name?: string
        }
        Relationships: []
      }
      todos: {
        Row: {
          created_at: string
          data: Json | null
          id: number
          list_id: number
          status: Database["public"]["Enums"]["status"]
          tags: string[] | null
          title: string
        }
        Insert: {
          created_at?: string
          data?: Json | null
          id?: number
          list_id: number
          status?: Database["public"]["Enums"]["status"]
          tags?: string[] | null
          title: string
        }
        Update: {
          created_at?: string
          data?: Json | null
          id?: number
          list_id?: number
          status?: Database["public"]["Enums"]["status"]
          tags?: string[] | null
          title?: string
        }
        Relationships: [
          {
            foreignKeyName: "todos_list_id_fkey"
            columns: ["list_id"]
            isOneToOne: false
            referencedRelation: "lists"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      open_count: {
        Args: { list: number }
        Returns: number
      }
    }
    Enums: {
      status: "todo" | "done"
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

export const Constants = {
  public: {
    Enums: {
      status: ["todo", "done"],
    },
  },
} as const
