//! Reads the command and event declarations out of `src/commands/*.rs` with `syn`.

use std::path::Path;

use syn::{Expr, FnArg, Item, Lit, Pat, ReturnType, Type};

/// One file of `src/commands/`: a feature, named after the file.
pub struct Feature {
    pub name: String,
    /// The module's `//!` comment.
    pub doc: Vec<String>,
    pub commands: Vec<Command>,
    pub events: Vec<Event>,
}

impl Feature {
    /// The first paragraph of the module's comment.
    pub fn summary(&self) -> String {
        self.doc.iter().take_while(|l| !l.is_empty()).cloned().collect::<Vec<_>>().join(" ")
    }
}

pub struct Command {
    pub name: String,
    pub doc: Vec<String>,
    pub args: Vec<Arg>,
    /// The declared return type; `None` for a function that returns nothing.
    pub returns: Option<Type>,
}

pub enum Arg {
    /// A JSON argument, named as the window sends it (camelCase, as Tauri expects).
    Json { name: String, ty: Box<Type> },
    /// `tauri::ipc::Request`: the window sends bytes as the request's raw body.
    RawBody,
}

/// `pub const NAME: Event<Payload> = Event::new("name");`
pub struct Event {
    pub const_name: String,
    pub name: String,
    pub payload: Type,
    pub doc: Vec<String>,
}

/// Arguments Tauri fills in itself; the window never sends them.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "Webview", "WebviewWindow"];

pub fn read(dir: &Path) -> Result<Vec<Feature>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs") && p.file_stem().is_some_and(|s| s != "mod"))
        .collect();
    files.sort();
    files.iter().map(|path| feature(path)).collect()
}

fn feature(path: &Path) -> Result<Feature, String> {
    let name = path.file_stem().and_then(|s| s.to_str()).ok_or("a file name that is not UTF-8")?.to_owned();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = syn::parse_file(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut feature = Feature { name, doc: doc_lines(&file.attrs), commands: Vec::new(), events: Vec::new() };
    for item in &file.items {
        match item {
            Item::Fn(f) if f.attrs.iter().any(|a| a.path().segments.last().is_some_and(|s| s.ident == "command")) => {
                feature.commands.push(command(f).map_err(|e| format!("{}: {}: {e}", path.display(), f.sig.ident))?);
            }
            Item::Const(c) if last_ident(&c.ty).is_some_and(|i| i == "Event") => {
                feature.events.push(event(c).map_err(|e| format!("{}: {}: {e}", path.display(), c.ident))?);
            }
            _ => {}
        }
    }
    if feature.doc.is_empty() {
        return Err(format!("{}: say what the feature is in a `//!` comment", path.display()));
    }
    Ok(feature)
}

fn command(f: &syn::ItemFn) -> Result<Command, String> {
    let mut args = Vec::new();
    for input in &f.sig.inputs {
        let FnArg::Typed(arg) = input else { return Err("a command takes no `self`".into()) };
        let ident = last_ident(&arg.ty).unwrap_or_default();
        if INJECTED.contains(&ident.as_str()) {
            continue;
        }
        if ident == "Request" {
            args.push(Arg::RawBody);
            continue;
        }
        let Pat::Ident(pat) = &*arg.pat else { return Err("name each argument plainly (no patterns)".into()) };
        args.push(Arg::Json { name: camel_case(&pat.ident.to_string()), ty: arg.ty.clone() });
    }
    if args.iter().any(|a| matches!(a, Arg::RawBody)) && args.len() > 1 {
        return Err("a command that takes the raw body takes no other argument".into());
    }
    let returns = match &f.sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some((**ty).clone()),
    };
    Ok(Command { name: f.sig.ident.to_string(), doc: doc_lines(&f.attrs), args, returns })
}

fn event(c: &syn::ItemConst) -> Result<Event, String> {
    let payload = first_generic(&c.ty).ok_or("declare it as `Event<Payload>`")?;
    let Expr::Call(call) = &*c.expr else { return Err("declare it as `Event::new(\"name\")`".into()) };
    let name = match call.args.first() {
        Some(Expr::Lit(lit)) => match &lit.lit {
            Lit::Str(s) => s.value(),
            _ => return Err("the event's name is a string".into()),
        },
        _ => return Err("declare it as `Event::new(\"name\")`".into()),
    };
    Ok(Event { const_name: c.ident.to_string(), name, payload: payload.clone(), doc: doc_lines(&c.attrs) })
}

fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The last segment of a type's path: `State` for `tauri::State<'_, Shared>`.
pub fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Type::Reference(r) => last_ident(&r.elem),
        _ => None,
    }
}

/// The first type argument: `Payload` for `Event<Payload>`.
pub fn first_generic(ty: &Type) -> Option<&Type> {
    generics(ty).into_iter().next()
}

/// The type arguments of a path type's last segment, lifetimes left out.
pub fn generics(ty: &Type) -> Vec<&Type> {
    let Type::Path(p) = ty else { return Vec::new() };
    let Some(segment) = p.path.segments.last() else { return Vec::new() };
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else { return Vec::new() };
    args.args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// `client_secret` → `clientSecret`: Tauri's names for a command's arguments on the JS side.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
