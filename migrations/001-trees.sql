-- The example API's table (PostgREST tutorial 0, with trees): the schema PostgREST exposes, a table and four rows.
-- Written to be harmless on a database that already holds them (set up by hand before migrations existed).
create schema if not exists api;
create table if not exists api.trees (id serial primary key, name text not null, species text not null);
insert into api.trees (name, species)
select name, species
from (values ('Banyan', 'Ficus benghalensis'), ('Quaking Aspen', 'Populus tremula'),
             ('American Elm', 'Ulmus americana'), ('Red Maple', 'Acer rubrum')) as seed (name, species)
where not exists (select 1 from api.trees);
