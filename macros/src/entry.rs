//! Expansion of `#[magpie::main]` and `#[magpie::test]`.
//!
//! The work happens in three steps:
//!
//! 1. [`Function::parse`] splits the annotated item into attributes,
//!    visibility, signature and body. The body is kept as raw tokens, split at
//!    top-level `;`, so that the user's spans reach the compiler untouched and
//!    no time is spent parsing statements we never look at.
//! 2. [`Options::parse`] reads the attribute arguments into [`Options`], which
//!    keeps each option's tokens so that every error points at the option that
//!    caused it. [`Options::resolve`] then checks the combinations and yields a
//!    [`Config`].
//! 3. [`expand`] rewrites the function: the body becomes an `async` block that
//!    is handed to a freshly built runtime's `block_on`.
//!
//! On any error the function is still emitted (expanded with the default
//! configuration) followed by `compile_error!`, so that the rest of the crate
//! keeps type-checking and an IDE keeps offering completions in the body.
//!
//! # The expansion
//!
//! ```text
//! #[attrs]                          // the user's, inner ones lifted out
//! #[::core::prelude::v1::test]      // #[magpie::test] only
//! vis fn name() -> T {              // `async` removed, braces kept
//!     let body = async { stmts };
//!     // test only: the block pinned on the stack as `Pin<&mut dyn Future<Output = T>>`.
//!     {
//!         return ::magpie::runtime::Builder::new_multi_thread()
//!             .enable_all()
//!             .build()
//!             .expect("Failed building the Runtime")
//!             .block_on(body);
//!     }
//! }
//! ```
//!
//! Because the statements live inside the `async` block, `return` and `?` in
//! the body return from the block, whose output becomes the function's. The
//! trailing block is spanned at the user's last statement, so a type mismatch
//! between the body and the declared return type is reported there rather
//! than at the attribute. The explicit `return` keeps the trailing block an
//! expression of type `!` in the eyes of lints such as `unreachable_code`.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt, quote, quote_spanned};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Path, Signature, Token, Visibility};

/// Which attribute is being expanded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// `#[magpie::main]`: defaults to the multi-thread runtime.
    Main,
    /// `#[magpie::test]`: defaults to the current-thread runtime and adds `#[test]`.
    Test,
}

impl Kind {
    fn attribute_name(self) -> &'static str {
        match self {
            Kind::Main => "magpie::main",
            Kind::Test => "magpie::test",
        }
    }

    fn default_flavor(self) -> Flavor {
        match self {
            Kind::Main => Flavor::MultiThread,
            Kind::Test => Flavor::CurrentThread,
        }
    }
}

/// Expands `#[magpie::main(args)]` or `#[magpie::test(args)]` on `item`.
pub(crate) fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match syn::parse2::<Function>(item.clone()) {
        Ok(function) => function,
        // Not a function at all: give the item back untouched with the error.
        Err(error) => return with_error(item, error),
    };
    match check_function(kind, &function).and_then(|()| Options::parse(args)?.resolve(kind)) {
        Ok(config) => rewrite(kind, function, &config),
        Err(error) => {
            let fallback = Config::fallback(kind);
            with_error(rewrite(kind, function, &fallback), error)
        }
    }
}

fn with_error(mut tokens: TokenStream, error: syn::Error) -> TokenStream {
    tokens.extend(error.into_compile_error());
    tokens
}

/// Checks what the signature and attributes of the function allow.
fn check_function(kind: Kind, function: &Function) -> syn::Result<()> {
    let sig = &function.sig;
    if sig.asyncness.is_none() {
        return Err(syn::Error::new_spanned(
            sig.fn_token,
            "the `async` keyword is missing from the function declaration",
        ));
    }
    if !sig.inputs.is_empty() {
        match kind {
            Kind::Main if sig.ident == "main" => {
                return Err(syn::Error::new_spanned(
                    &sig.inputs,
                    "the main function cannot accept arguments",
                ));
            }
            Kind::Main => {}
            Kind::Test => {
                return Err(syn::Error::new_spanned(
                    &sig.inputs,
                    "the test function cannot accept arguments",
                ));
            }
        }
    }
    if kind == Kind::Test {
        if let Some(attr) = function.all_attrs().find(|attr| is_test_attribute(attr)) {
            return Err(syn::Error::new_spanned(
                attr,
                "second test attribute is supplied, consider removing or changing the order of \
                 your test attributes",
            ));
        }
    }
    Ok(())
}

/// Is `attr` `#[test]`, `#[core::prelude::*::test]` or `#[std::prelude::*::test]`
/// (with or without a leading `::`)?
fn is_test_attribute(attr: &Attribute) -> bool {
    let Meta::Path(path) = &attr.meta else {
        return false;
    };
    if path.segments.iter().any(|s| !s.arguments.is_none()) {
        return false;
    }
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match names.as_slice() {
        [test] => path.leading_colon.is_none() && test == "test",
        [root, prelude, _edition, test] => {
            (root == "core" || root == "std") && prelude == "prelude" && test == "test"
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/// The options the attributes accept, as listed in error messages.
const VALID_OPTIONS: &str =
    "`flavor`, `worker_threads`, `start_paused`, `crate`, `unhandled_panic`, `name`";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flavor {
    CurrentThread,
    MultiThread,
}

impl Flavor {
    fn parse(value: &str) -> Result<Self, String> {
        match value {
            "current_thread" => Ok(Flavor::CurrentThread),
            "multi_thread" => Ok(Flavor::MultiThread),
            "single_thread" | "single_threaded" | "basic_scheduler" | "local" => Err(format!(
                "no such runtime flavor `{value}`; the single-threaded flavor is called \
                 `current_thread`"
            )),
            "threaded_scheduler" | "multi_threaded" | "threaded" => Err(format!(
                "no such runtime flavor `{value}`; the work-stealing flavor is called \
                 `multi_thread`"
            )),
            _ => Err(format!(
                "no such runtime flavor `{value}`; the runtime flavors are `current_thread` and \
                 `multi_thread`"
            )),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum UnhandledPanic {
    Ignore,
    ShutdownRuntime,
}

impl UnhandledPanic {
    fn parse(value: &str) -> Result<Self, String> {
        match value {
            "ignore" => Ok(UnhandledPanic::Ignore),
            "shutdown_runtime" => Ok(UnhandledPanic::ShutdownRuntime),
            _ => Err(format!(
                "no such unhandled panic behavior `{value}`; the behaviors are `ignore` and \
                 `shutdown_runtime`"
            )),
        }
    }
}

/// One option's value together with the tokens of `name = value`, for errors.
struct Setting<T> {
    value: T,
    tokens: TokenStream,
}

/// The options as written, before their combinations are checked.
#[derive(Default)]
struct Options {
    flavor: Option<Setting<Flavor>>,
    worker_threads: Option<Setting<usize>>,
    start_paused: Option<Setting<bool>>,
    crate_path: Option<Setting<Path>>,
    unhandled_panic: Option<Setting<UnhandledPanic>>,
    name: Option<Setting<String>>,
}

impl Options {
    /// Reads `name = "value", ...`; reports every malformed option at once.
    fn parse(args: TokenStream) -> syn::Result<Self> {
        let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args)?;
        let mut options = Options::default();
        let mut errors: Option<syn::Error> = None;
        for meta in metas {
            if let Err(error) = options.set(meta) {
                match &mut errors {
                    Some(errors) => errors.combine(error),
                    None => errors = Some(error),
                }
            }
        }
        match errors {
            Some(errors) => Err(errors),
            None => Ok(options),
        }
    }

    fn set(&mut self, meta: Meta) -> syn::Result<()> {
        let (path, value) = match meta {
            Meta::NameValue(pair) => (pair.path, pair.value),
            Meta::Path(path) => return Err(bare_option_error(&path)),
            Meta::List(list) => {
                return Err(syn::Error::new_spanned(
                    &list,
                    format!("options are written `name = value`; expected one of: {VALID_OPTIONS}"),
                ));
            }
        };
        let name = option_name(&path)?;
        let tokens = quote! { #path = #value };
        let syn::Expr::Lit(syn::ExprLit { lit, .. }) = &value else {
            return Err(syn::Error::new_spanned(
                &value,
                format!("the value of `{name}` must be a literal"),
            ));
        };
        match name.as_str() {
            "flavor" => {
                let text = string_value(lit, &name)?;
                let flavor =
                    Flavor::parse(&text).map_err(|msg| syn::Error::new(lit.span(), msg))?;
                store(&mut self.flavor, &path, flavor, tokens)
            }
            "worker_threads" => {
                let count = int_value(lit, &name)?;
                if count == 0 {
                    return Err(syn::Error::new(lit.span(), "`worker_threads` may not be 0"));
                }
                store(&mut self.worker_threads, &path, count, tokens)
            }
            "start_paused" => {
                let paused = bool_value(lit, &name)?;
                store(&mut self.start_paused, &path, paused, tokens)
            }
            "crate" => {
                let crate_path = path_value(lit, &name)?;
                store(&mut self.crate_path, &path, crate_path, tokens)
            }
            "unhandled_panic" => {
                let text = string_value(lit, &name)?;
                let behavior =
                    UnhandledPanic::parse(&text).map_err(|msg| syn::Error::new(lit.span(), msg))?;
                store(&mut self.unhandled_panic, &path, behavior, tokens)
            }
            "name" => {
                let text = string_value(lit, &name)?;
                if text.trim().is_empty() {
                    return Err(syn::Error::new(
                        lit.span(),
                        "the runtime name may not be empty",
                    ));
                }
                store(&mut self.name, &path, text, tokens)
            }
            "core_threads" => Err(syn::Error::new_spanned(
                &path,
                "`core_threads` is called `worker_threads`",
            )),
            _ => Err(syn::Error::new_spanned(
                &path,
                format!("unknown option `{name}`; expected one of: {VALID_OPTIONS}"),
            )),
        }
    }

    /// Checks the combinations of options against the flavor.
    fn resolve(self, kind: Kind) -> syn::Result<Config> {
        let flavor = self
            .flavor
            .as_ref()
            .map_or(kind.default_flavor(), |flavor| flavor.value);
        let attribute = kind.attribute_name();
        if flavor == Flavor::CurrentThread {
            if let Some(setting) = &self.worker_threads {
                return Err(syn::Error::new_spanned(
                    &setting.tokens,
                    format!(
                        "the `worker_threads` option requires the `multi_thread` runtime flavor. \
                         Use `#[{attribute}(flavor = \"multi_thread\")]`"
                    ),
                ));
            }
        }
        if flavor == Flavor::MultiThread {
            for (name, tokens) in [
                (
                    "start_paused",
                    self.start_paused.as_ref().map(|s| &s.tokens),
                ),
                (
                    "unhandled_panic",
                    self.unhandled_panic.as_ref().map(|s| &s.tokens),
                ),
            ] {
                if let Some(tokens) = tokens {
                    return Err(syn::Error::new_spanned(
                        tokens,
                        format!(
                            "the `{name}` option requires the `current_thread` runtime flavor. \
                             Use `#[{attribute}(flavor = \"current_thread\")]`"
                        ),
                    ));
                }
            }
        }
        Ok(Config {
            flavor,
            worker_threads: self.worker_threads.map(|s| s.value),
            start_paused: self.start_paused.is_some_and(|s| s.value),
            crate_path: self.crate_path.map(|s| s.value),
            unhandled_panic: self.unhandled_panic.map(|s| s.value),
            name: self.name.map(|s| s.value),
        })
    }
}

fn store<T>(
    slot: &mut Option<Setting<T>>,
    path: &Path,
    value: T,
    tokens: TokenStream,
) -> syn::Result<()> {
    if slot.is_some() {
        let name = path.to_token_stream();
        return Err(syn::Error::new_spanned(
            path,
            format!("the `{name}` option is set more than once"),
        ));
    }
    *slot = Some(Setting { value, tokens });
    Ok(())
}

/// The name of an option, which must be a single identifier (or `crate`).
fn option_name(path: &Path) -> syn::Result<String> {
    match (path.leading_colon, path.segments.len()) {
        (None, 1) if path.segments[0].arguments.is_none() => Ok(path.segments[0].ident.to_string()),
        _ => Err(syn::Error::new_spanned(
            path,
            format!("expected an option name, one of: {VALID_OPTIONS}"),
        )),
    }
}

/// The error for an option written without a value, e.g. `#[magpie::main(multi_thread)]`.
fn bare_option_error(path: &Path) -> syn::Error {
    let Ok(name) = option_name(path) else {
        return syn::Error::new_spanned(
            path,
            format!("expected an option name, one of: {VALID_OPTIONS}"),
        );
    };
    let msg = match name.as_str() {
        "multi_thread" | "threaded_scheduler" => {
            "set the runtime flavor with `flavor = \"multi_thread\"`".to_owned()
        }
        "current_thread" | "basic_scheduler" | "single_threaded" | "single_thread" => {
            "set the runtime flavor with `flavor = \"current_thread\"`".to_owned()
        }
        "flavor" | "worker_threads" | "start_paused" | "crate" | "unhandled_panic" | "name" => {
            format!("the `{name}` option requires a value: `{name} = ...`")
        }
        _ => format!("unknown option `{name}`; expected one of: {VALID_OPTIONS}"),
    };
    syn::Error::new_spanned(path, msg)
}

fn string_value(lit: &syn::Lit, name: &str) -> syn::Result<String> {
    match lit {
        syn::Lit::Str(s) => Ok(s.value()),
        _ => Err(syn::Error::new(
            lit.span(),
            format!("the value of `{name}` must be a string literal"),
        )),
    }
}

fn int_value(lit: &syn::Lit, name: &str) -> syn::Result<usize> {
    match lit {
        syn::Lit::Int(int) => int.base10_parse::<usize>().map_err(|error| {
            syn::Error::new(
                lit.span(),
                format!("the value of `{name}` must be a positive integer: {error}"),
            )
        }),
        _ => Err(syn::Error::new(
            lit.span(),
            format!("the value of `{name}` must be an integer literal"),
        )),
    }
}

fn bool_value(lit: &syn::Lit, name: &str) -> syn::Result<bool> {
    match lit {
        syn::Lit::Bool(b) => Ok(b.value),
        _ => Err(syn::Error::new(
            lit.span(),
            format!("the value of `{name}` must be `true` or `false`"),
        )),
    }
}

fn path_value(lit: &syn::Lit, name: &str) -> syn::Result<Path> {
    match lit {
        syn::Lit::Str(s) => s.parse::<Path>().map_err(|_| {
            syn::Error::new(
                lit.span(),
                format!(
                    "the value of `{name}` must be a path, found \"{}\"",
                    s.value()
                ),
            )
        }),
        _ => Err(syn::Error::new(
            lit.span(),
            format!("the value of `{name}` must be a path in a string literal, e.g. \"magpie\""),
        )),
    }
}

/// A checked configuration, ready to expand.
struct Config {
    flavor: Flavor,
    worker_threads: Option<usize>,
    start_paused: bool,
    crate_path: Option<Path>,
    unhandled_panic: Option<UnhandledPanic>,
    name: Option<String>,
}

impl Config {
    /// What an erroneous attribute expands with: the plainest runtime.
    fn fallback(kind: Kind) -> Self {
        Config {
            flavor: kind.default_flavor(),
            worker_threads: None,
            start_paused: false,
            crate_path: None,
            unhandled_panic: None,
            name: None,
        }
    }
}

// ---------------------------------------------------------------------------
// The function
// ---------------------------------------------------------------------------

/// An `fn` item whose body is kept as tokens, split into statements.
struct Function {
    attrs: Vec<Attribute>,
    vis: Visibility,
    sig: Signature,
    brace: syn::token::Brace,
    inner_attrs: Vec<Attribute>,
    /// The body's statements, each with its trailing `;` if it has one.
    stmts: Vec<TokenStream>,
}

impl Function {
    fn all_attrs(&self) -> impl Iterator<Item = &Attribute> {
        self.attrs.iter().chain(&self.inner_attrs)
    }

    /// The spans of the first and last token of the last statement, or the
    /// call site for an empty body.
    fn last_stmt_spans(&self) -> (Span, Span) {
        let mut tokens = self
            .stmts
            .last()
            .map(|stmt| stmt.clone().into_iter())
            .into_iter()
            .flatten();
        let first = tokens.next().map_or_else(Span::call_site, |t| t.span());
        let last = tokens.last().map_or(first, |t| t.span());
        (first, last)
    }
}

impl Parse for Function {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let content;
        let brace = syn::braced!(content in input);
        let inner_attrs = content.call(Attribute::parse_inner)?;
        let mut stmts = Vec::new();
        let mut current = TokenStream::new();
        while !content.is_empty() {
            let tree: TokenTree = content.parse()?;
            let ends_stmt = matches!(&tree, TokenTree::Punct(p) if p.as_char() == ';');
            current.append(tree);
            if ends_stmt {
                stmts.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            stmts.push(current);
        }
        Ok(Function {
            attrs,
            vis,
            sig,
            brace,
            inner_attrs,
            stmts,
        })
    }
}

/// Does the type mention `impl Trait` anywhere (where `dyn Future<Output = _>`
/// cannot name it)?
fn mentions_impl_trait(ty: &syn::Type) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tree| match tree {
            TokenTree::Ident(ident) => ident == "impl",
            TokenTree::Group(group) if group.delimiter() != Delimiter::Brace => {
                walk(group.stream())
            }
            _ => false,
        })
    }
    walk(ty.to_token_stream())
}

/// Rewrites the async function into a synchronous one that runs its body on a
/// runtime built from `config`.
fn rewrite(kind: Kind, mut function: Function, config: &Config) -> TokenStream {
    function.sig.asyncness = None;
    let (last_start, last_end) = function.last_stmt_spans();
    // Resolve at the call site, but point at the user's last statement.
    let here = Span::call_site().located_at(last_start);
    let krate = match &config.crate_path {
        Some(path) => path.to_token_stream(),
        None => quote_spanned! {here=> ::magpie },
    };

    let mut builder = match config.flavor {
        Flavor::CurrentThread => {
            quote_spanned! {here=> #krate::runtime::Builder::new_current_thread() }
        }
        Flavor::MultiThread => {
            quote_spanned! {here=> #krate::runtime::Builder::new_multi_thread() }
        }
    };
    builder.extend(quote_spanned! {here=> .enable_all() });
    if let Some(n) = config.worker_threads {
        let n = proc_macro2::Literal::usize_unsuffixed(n);
        builder.extend(quote_spanned! {here=> .worker_threads(#n) });
    }
    if config.start_paused {
        builder.extend(quote_spanned! {here=> .start_paused(true) });
    }
    if config.unhandled_panic == Some(UnhandledPanic::ShutdownRuntime) {
        builder.extend(quote_spanned! {here=>
            .unhandled_panic(#krate::runtime::UnhandledPanic::ShutdownRuntime)
        });
    }

    if let Some(name) = &config.name {
        builder.extend(quote_spanned! {here=> .name(#name) });
    }

    let output = match &function.sig.output {
        syn::ReturnType::Default => quote! { () },
        syn::ReturnType::Type(_, ty) => ty.to_token_stream(),
    };
    let nameable_output = match &function.sig.output {
        syn::ReturnType::Default => true,
        syn::ReturnType::Type(_, ty) => {
            !matches!(**ty, syn::Type::Never(_)) && !mentions_impl_trait(ty)
        }
    };
    // With arguments (allowed on a non-`main` function) the block takes them.
    let mut async_block = quote! { async };
    if !function.sig.inputs.is_empty() {
        async_block.extend(quote! { move });
    }
    function.brace.surround(&mut async_block, |tokens| {
        for stmt in &function.stmts {
            tokens.extend(stmt.clone());
        }
    });

    let bind_body = match kind {
        // Pin on the stack behind `dyn Future` so that every test shares one
        // `block_on` instantiation. Spanned at the last statement, where a
        // mismatch between the body and the return type is then reported.
        Kind::Test if nameable_output => {
            let there = Span::call_site().located_at(last_end);
            quote_spanned! {there=>
                let body = #async_block;
                let body = ::core::pin::pin!(body);
                let body: ::core::pin::Pin<&mut dyn ::core::future::Future<Output = #output>> =
                    body;
            }
        }
        _ => quote! { let body = #async_block; },
    };

    let run = quote_spanned! {last_end=>
        #[allow(
            clippy::expect_used,
            clippy::diverging_sub_expression,
            clippy::needless_return,
            clippy::unwrap_in_result
        )]
        {
            return #builder
                .build()
                .expect("Failed building the Runtime")
                .block_on(body);
        }
    };

    let mut tokens = TokenStream::new();
    for attr in &function.attrs {
        attr.to_tokens(&mut tokens);
    }
    // Inner attributes cannot stay inside what is now a plain block: lift
    // them onto the function, as `syn` itself does.
    for attr in &function.inner_attrs {
        let mut attr = attr.clone();
        attr.style = syn::AttrStyle::Outer;
        attr.to_tokens(&mut tokens);
    }
    if kind == Kind::Test {
        tokens.extend(quote! { #[::core::prelude::v1::test] });
    }
    function.vis.to_tokens(&mut tokens);
    function.sig.to_tokens(&mut tokens);
    function.brace.surround(&mut tokens, |tokens| {
        tokens.extend(bind_body);
        tokens.extend(run);
    });
    tokens
}

#[cfg(test)]
mod tests;
